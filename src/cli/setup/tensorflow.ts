/**
 * `npm run setup:tensorflow [--force] [--wheel VERSION] [--cache DIR]`
 *
 * Makes the native TensorFlow backend (`@tensorflow/tfjs-node`) work without
 * the download its install script does (libtensorflow 2.9.1 from Google's
 * storage, unreachable offline). The TensorFlow C library comes instead from
 * PyPI's `tensorflow-cpu` wheel, whose `libtensorflow_cc.so.2` exports the same
 * TF_/TFE_ C API the addon calls; the addon is compiled here with node-gyp
 * against the local Node headers. Every step is skipped when its result is
 * already in place, so running it again costs a load check.
 *
 *   1. wheel → `<cache>/lib` (the two shared libraries) and `<cache>/include`
 *      (cached outside the repository, ~860 MB; the wheel itself is deleted)
 *   2. `npm install --no-save --ignore-scripts @tensorflow/tfjs-node@<locked>`
 *   3. `deps/lib` and `deps/include` of that package point into the cache
 *   4. node-gyp builds `lib/napi-v<N>/tfjs_binding.node`
 *   5. a fresh Node process loads it and checks a product against plain JS
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { KgnegError } from '../../graph/errors.js';
import { hasNativeAddon } from '../../train/backend.js';
import { option } from '../../base/options.js';
import { defineCommand, optional } from '../command-options.js';

/**
 * The wheel whose C library the addon is built against. 2.18.1 is the newest
 * tried here that builds and passes the suite; any 2.12+ should, as the C API
 * only grows. The Python tag only selects a file: the libraries inside do not
 * link Python.
 */
const PINNED_WHEEL = '2.18.1';
const WHEEL_PYTHON = '3.11';
// 2.21 on is tagged manylinux_2_27 only; earlier releases manylinux2014.
const WHEEL_PLATFORMS = ['manylinux2014_x86_64', 'manylinux_2_27_x86_64'];
const STAMP = '.kgneg-tensorflow.json';

/** Every option of `npm run setup:tensorflow`, declared once (it takes no connection flags). */
export const SETUP_TENSORFLOW_OPTIONS = {
  wheel: option.string('tensorflow-cpu wheel to take the C library from', PINNED_WHEEL, { meta: 'VERSION' }),
  cache: optional(option.string('where the libraries and headers are kept', undefined, { meta: 'DIR' }), '$KGNEG_CACHE, else ~/.cache/kgneg'),
  force: option.boolean('download and rebuild even if everything is in place', false),
} as const;

export const SETUP_TENSORFLOW_COMMAND = defineCommand({ name: 'setup:tensorflow', options: SETUP_TENSORFLOW_OPTIONS, connection: false });

interface Stamp {
  readonly wheel: string;
  readonly napi: number;
  readonly node: string;
  readonly cache: string;
}

export async function setupTensorflowCommand(argv: string[]): Promise<number> {
  const { values } = SETUP_TENSORFLOW_COMMAND.parse(argv);
  const log = (line: string) => process.stdout.write(`setup:tensorflow: ${line}\n`);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new KgnegError(`setup:tensorflow builds for linux x64, not ${process.platform} ${process.arch}`, {
      hint: 'elsewhere `npm install @tensorflow/tfjs-node` downloads a prebuilt addon (needs internet); or use --backend wasm',
    });
  }
  const wheel = values.wheel;
  const cacheRoot = resolve(values.cache ?? process.env.KGNEG_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kgneg'));
  const libDir = join(cacheRoot, `tensorflow-cpu-${wheel}`);
  const started = performance.now();

  // tfjs-node installed the usual way (online, its own libtensorflow) works already: leave it.
  const existing = installedPackage();
  if (!values.force && existing && !existsSync(join(existing, STAMP)) && hasNativeAddon(existing)) {
    const check = verifyLoads();
    log(`@tensorflow/tfjs-node already has a working addon of its own (${check}); nothing to do (--force rebuilds it from the wheel)`);
    return 0;
  }
  if (values.force) rmSync(libDir, { recursive: true, force: true });
  if (isUnpacked(libDir)) log(`[1/5] TensorFlow ${wheel} C library already in ${libDir}`);
  else unpackWheel(wheel, cacheRoot, libDir, log);

  const packageDir = ensurePackage(log);
  const napi = napiBuildVersion(packageDir);
  const addon = join(packageDir, 'lib', `napi-v${napi}`, 'tfjs_binding.node');
  const stamp: Stamp = { wheel, napi, node: process.version, cache: libDir };

  linkDeps(packageDir, libDir);
  log(`[3/5] ${join(packageDir, 'deps')} points into ${libDir}`);

  if (!values.force && existsSync(addon) && sameStamp(packageDir, stamp)) {
    log(`[4/5] addon already built for TensorFlow ${wheel}, N-API ${napi}: ${addon}`);
  } else {
    buildAddon(packageDir, napi, log);
    writeFileSync(join(packageDir, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
  }

  const check = verifyLoads();
  log(`[5/5] a fresh process loaded it: ${check}`);
  log(`done in ${((performance.now() - started) / 1000).toFixed(1)}s; --backend auto now picks tensorflow (@tensorflow/tfjs-node)`);
  return 0;
}

function isUnpacked(libDir: string): boolean {
  return ['lib/libtensorflow_cc.so.2', 'lib/libtensorflow_framework.so.2', 'include/tensorflow/c/c_api.h', 'include/tensorflow/c/eager/c_api.h', '.complete']
    .every((file) => existsSync(join(libDir, file)));
}

/** Downloads the wheel with pip and unpacks into a scratch directory renamed into place, so an interrupted run leaves nothing half-made. */
function unpackWheel(wheel: string, cacheRoot: string, libDir: string, log: (line: string) => void): void {
  const python = findPython();
  const scratch = `${libDir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    log(`[1/5] downloading tensorflow-cpu==${wheel} from PyPI with ${python} -m pip (about 230 MB)`);
    run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', ...WHEEL_PLATFORMS.flatMap((p) => ['--platform', p]),
      '--python-version', WHEEL_PYTHON, '--implementation', 'cp', '--disable-pip-version-check', '--quiet',
      `tensorflow-cpu==${wheel}`, '-d', scratch], {
      what: `pip could not download tensorflow-cpu==${wheel}`,
      hint: 'check that PyPI is reachable (pip config list shows the index); --wheel VERSION picks another release (2.12 or later)',
    });
    log('[1/5] unpacking the two shared libraries and the headers');
    // Python's zipfile, as pip already needs Python and Node has no unzip.
    const unzip = [
      'import sys, zipfile, glob, os, shutil',
      'src, dst = sys.argv[1], sys.argv[2]',
      'whl = glob.glob(os.path.join(src, "*.whl"))[0]',
      'libs = {"tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"}',
      'with zipfile.ZipFile(whl) as z:',
      '    for info in z.infolist():',
      '        n = info.filename',
      '        if n in libs: out = os.path.join(dst, "lib", os.path.basename(n))',
      '        elif n.startswith("tensorflow/include/") and not n.endswith("/"): out = os.path.join(dst, "include", n[len("tensorflow/include/"):])',
      '        else: continue',
      '        os.makedirs(os.path.dirname(out), exist_ok=True)',
      '        with z.open(info) as fin, open(out, "wb") as fout: shutil.copyfileobj(fin, fout, 1 << 20)',
      'os.remove(whl)',
    ].join('\n');
    run(python, ['-c', unzip, scratch, scratch], { what: 'could not unpack the wheel', hint: 'is there 1 GB free in the cache directory? (--cache DIR)' });
    writeFileSync(join(scratch, '.complete'), `tensorflow-cpu ${wheel}\n`);
    mkdirSync(cacheRoot, { recursive: true });
    rmSync(libDir, { recursive: true, force: true });
    renameSync(scratch, libDir);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}

function findPython(): string {
  for (const candidate of [process.env.PYTHON, 'python3', 'python'].filter((c): c is string => !!c)) {
    const probe = spawnSync(candidate, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new KgnegError('setup:tensorflow needs Python with pip to download the tensorflow-cpu wheel, and found neither python3 nor python with pip', {
    hint: 'install Python 3 with pip (or set PYTHON=/path/to/python); without it, --backend wasm works as before',
  });
}

function installedPackage(): string | undefined {
  try {
    return dirname(createRequire(join(process.cwd(), 'package.json')).resolve('@tensorflow/tfjs-node/package.json'));
  } catch {
    return undefined;
  }
}

/** The installed @tensorflow/tfjs-node, installing the locked version without its (downloading) install script if absent. */
function ensurePackage(log: (line: string) => void): string {
  const locate = installedPackage;
  const found = locate();
  if (found) {
    log(`[2/5] @tensorflow/tfjs-node ${packageVersion(found)} is installed`);
    return found;
  }
  const version = lockedVersion();
  log(`[2/5] npm install --no-save --ignore-scripts @tensorflow/tfjs-node@${version}`);
  const npm = process.env.npm_execpath;
  const [command, args] = npm && npm.endsWith('.js') ? [process.execPath, [npm]] : ['npm', []];
  run(command, [...args, 'install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `@tensorflow/tfjs-node@${version}`], {
    what: 'npm could not install @tensorflow/tfjs-node',
    hint: 'check that the npm registry is reachable',
  });
  const installed = locate();
  if (!installed) throw new KgnegError('npm reported success but @tensorflow/tfjs-node is not resolvable from here', { hint: 'run it from the repository root' });
  return installed;
}

function lockedVersion(): string {
  try {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages?: Record<string, { version?: string }> };
    const version = lock.packages?.['node_modules/@tensorflow/tfjs-node']?.version;
    if (version) return version;
  } catch {
    // No lock: fall back to the range in package.json.
  }
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies?: Record<string, string> };
  return manifest.optionalDependencies?.['@tensorflow/tfjs-node'] ?? 'latest';
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The N-API version node-pre-gyp will look for: the highest the package lists that this Node supports. */
function napiBuildVersion(packageDir: string): number {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { binary?: { napi_versions?: number[] } };
  const supported = Number(process.versions.napi);
  const usable = (manifest.binary?.napi_versions ?? []).filter((v) => v <= supported);
  if (usable.length === 0) throw new KgnegError(`@tensorflow/tfjs-node lists no N-API version this Node (N-API ${supported}) supports`);
  return Math.max(...usable);
}

/**
 * binding.gyp links `-ltensorflow -ltensorflow_framework` from deps/lib and
 * sets the rpath there; the linked binary then asks for the libraries' sonames
 * (libtensorflow_cc.so.2, libtensorflow_framework.so.2). The 2.9.1 marker is
 * what tfjs-node's own install script checks before downloading, so a later
 * `npm rebuild` does not try the network either.
 */
function linkDeps(packageDir: string, libDir: string): void {
  const deps = join(packageDir, 'deps');
  mkdirSync(join(deps, 'lib'), { recursive: true });
  const links: Array<[string, string]> = [
    ['include', join(libDir, 'include')],
    ['lib/libtensorflow.so', join(libDir, 'lib/libtensorflow_cc.so.2')],
    ['lib/libtensorflow_cc.so.2', join(libDir, 'lib/libtensorflow_cc.so.2')],
    ['lib/libtensorflow.so.2.9.1', join(libDir, 'lib/libtensorflow_cc.so.2')],
    ['lib/libtensorflow_framework.so', join(libDir, 'lib/libtensorflow_framework.so.2')],
    ['lib/libtensorflow_framework.so.2', join(libDir, 'lib/libtensorflow_framework.so.2')],
  ];
  for (const [name, target] of links) {
    const path = join(deps, name);
    if (isLinkTo(path, target)) continue;
    rmSync(path, { recursive: true, force: true });
    symlinkSync(target, path);
  }
}

function isLinkTo(path: string, target: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && readlinkSync(path) === target;
  } catch {
    return false;
  }
}

function sameStamp(packageDir: string, stamp: Stamp): boolean {
  try {
    const old = JSON.parse(readFileSync(join(packageDir, STAMP), 'utf8')) as Stamp;
    return old.wheel === stamp.wheel && old.napi === stamp.napi && old.node === stamp.node && old.cache === stamp.cache;
  } catch {
    return false;
  }
}

function buildAddon(packageDir: string, napi: number, log: (line: string) => void): void {
  const gyp = findNodeGyp();
  const nodeDir = resolve(dirname(process.execPath), '..');
  if (!existsSync(join(nodeDir, 'include', 'node', 'node_api.h'))) {
    throw new KgnegError(`Node's headers are not in ${join(nodeDir, 'include', 'node')}; node-gyp would download them from nodejs.org`, {
      hint: 'install Node from a distribution that ships its headers (the nodejs.org tarballs and NodeSource packages do), or set npm_config_nodedir',
    });
  }
  const modulePath = join(packageDir, 'lib', `napi-v${napi}`);
  log(`[4/5] building the addon with node-gyp (${gyp}) against ${nodeDir}/include/node, N-API ${napi}`);
  run(process.execPath, [gyp, 'rebuild', `--nodedir=${process.env.npm_config_nodedir ?? nodeDir}`, '--module_name=tfjs_binding',
    `--module_path=${modulePath}`, `--napi_build_version=${napi}`, `-j`, String(Math.max(1, cpus().length))], {
    cwd: packageDir,
    what: 'node-gyp could not build the tfjs-node addon',
    hint: 'it needs a C++ compiler and make (apt-get install -y g++ make)',
  });
}

/** node-gyp as npm itself runs it: npm tells scripts where its copy is; otherwise the one next to npm. */
function findNodeGyp(): string {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath ? join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js') : undefined,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new KgnegError('node-gyp was not found next to npm', { hint: 'npm install -g node-gyp, then set npm_config_node_gyp to its bin/node-gyp.js' });
  return found;
}

/** In a separate process: loading a broken addon can abort the process that loads it. */
function verifyLoads(): string {
  const script = [
    "process.env.TF_CPP_MIN_LOG_LEVEL = process.env.TF_CPP_MIN_LOG_LEVEL || '2';",
    "const tf = require('@tensorflow/tfjs-node');",
    "if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());",
    'const a = [[1, 2], [3, 4]], b = [[5, 6], [7, 8]];',
    'const got = tf.matMul(tf.tensor2d(a), tf.tensor2d(b)).arraySync().flat();',
    'const want = [19, 22, 43, 50];',
    "if (got.some((v, i) => Math.abs(v - want[i]) > 1e-6)) throw new Error('wrong product ' + got);",
    "console.log('tfjs-node ' + tf.version['tfjs-node'] + ', TensorFlow ' + tf.backend().binding.TF_Version + ', 2x2 product correct');",
  ].join('\n');
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new KgnegError(`the built addon does not load: ${lastLine(result.stderr) || `exit ${result.status}`}`, {
      hint: 'run again with --force; if it persists, try another wheel with --wheel 2.15.1',
    });
  }
  return result.stdout.trim();
}

interface RunOptions {
  readonly what: string;
  readonly hint: string;
  readonly cwd?: string;
}

function run(command: string, args: string[], options: RunOptions): void {
  const result = spawnSync(command, args, { cwd: options.cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (result.error || result.status !== 0) {
    const detail = result.error ? result.error.message : lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.status}`;
    throw new KgnegError(`${options.what}: ${detail}`, { hint: options.hint });
  }
}

function lastLine(text: string | null | undefined): string {
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('gyp info'));
  return lines.slice(-3).join(' | ');
}
