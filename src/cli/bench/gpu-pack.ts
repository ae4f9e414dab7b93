/**
 * `npm run bench -- gpu-pack [--dataset amazon-book-kgat] [--out .gpu-pack]`
 *
 * Packs what `bench train` needs to run on a GPU machine that has no network,
 * no Node and no Neo4j, and takes only a small upload (the device machines lent
 * to some sessions take 64 MiB): the split as a file (../../train/split-file.ts),
 * kgneg bundled into one ES module by esbuild (tfjs, its wasm binaries and
 * tfjs-backend-webgpu inside; tfjs-node left out: its TensorFlow library is
 * 800 MB), Dawn's prebuilt linux-x64 addon (the `webgpu` package), this Node
 * binary, and the Vulkan loader's Debian package when apt can fetch it. One
 * xz tarball plus the packages and `run.sh`, which unpacks to /tmp and runs
 *   bench train --split-file split.bin --backend webgpu,wasm
 * writing the log and the JSON result to $OUT.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KgnegError } from '../../graph/errors.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { writeSplitFile } from '../../train/split-file.js';
import { CONNECTION_FLAGS, neo4jConfigFrom, parseFlags } from '../options.js';
import { connectOrStartLocal } from '../start/index.js';
import { benchDataset } from './dataset.js';

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, out: { type: 'string' } } as const;
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** Shared libraries Dawn needs that a CUDA image may lack (the device notes: bring the loaders). */
const DEBIAN_PACKAGES = ['libvulkan1'];

export async function benchGpuPack(argv: string[]): Promise<number> {
  const { values } = parseFlags('bench -- gpu-pack', argv, FLAGS, '  --dataset NAME (amazon-book-kgat)  --out DIR (.gpu-pack)');
  const name = values.dataset ?? 'amazon-book-kgat';
  const out = path.resolve(values.out ?? '.gpu-pack');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const stage = path.join(out, 'stage');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });

  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  try {
    const { split } = await benchDataset(new QueryRunner(connection), name);
    writeSplitFile(path.join(stage, 'split.bin'), name, split);
    log(`split of '${name}': ${split.train.indices.length} train, ${split.valid.indices.length} validation, ${split.test.indices.length} test pairs`);
  } finally {
    await connection.close();
  }

  const require = createRequire(import.meta.url);
  execFileSync(
    require.resolve('esbuild/bin/esbuild'),
    [
      path.join(REPO, 'src/cli/index.ts'),
      '--bundle',
      '--platform=node',
      '--format=esm',
      '--target=node20',
      `--outfile=${path.join(stage, 'kgneg.mjs')}`,
      '--external:webgpu',
      '--external:@tensorflow/tfjs-node',
      '--external:@tensorflow/tfjs-node-gpu',
      '--log-level=error',
      // CommonJS parts of the bundle (tfjs-backend-wasm's loader) look for require and __dirname.
      "--banner:js=import { createRequire as __kgnegRequire } from 'node:module'; import { fileURLToPath as __kgnegPath } from 'node:url'; const require = __kgnegRequire(import.meta.url); const __filename = __kgnegPath(import.meta.url); const __dirname = __kgnegPath(new URL('.', import.meta.url));",
    ],
    { stdio: 'inherit' },
  );
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(path.join(wasmDir, file), path.join(stage, file));
  const webgpu = path.dirname(require.resolve('webgpu/package.json'));
  const dawn = path.join(webgpu, 'dist', 'linux-x64', 'dawn.node');
  if (!existsSync(dawn)) throw new KgnegError(`no ${dawn}: the optional dependency webgpu is not installed`, { hint: 'npm install' });
  const target = path.join(stage, 'node_modules', 'webgpu');
  mkdirSync(path.join(target, 'dist', 'linux-x64'), { recursive: true });
  for (const file of ['package.json', 'index.js']) copyFileSync(path.join(webgpu, file), path.join(target, file));
  copyFileSync(dawn, path.join(target, 'dist', 'linux-x64', 'dawn.node'));
  copyFileSync(process.execPath, path.join(stage, 'node'));
  execFileSync('tar', ['-cJf', path.join(out, 'pack.tar.xz'), '-C', stage, '.'], { stdio: 'inherit', env: { ...process.env, XZ_OPT: '-6 -T0' } });
  rmSync(stage, { recursive: true });

  for (const pkg of DEBIAN_PACKAGES) {
    try {
      execFileSync('apt-get', ['download', pkg], { cwd: out, stdio: 'ignore' });
    } catch {
      log(`apt-get download ${pkg} failed: run.sh will rely on the machine's own ${pkg}`);
    }
  }
  writeFileSync(path.join(out, 'run.sh'), RUN_SH, { mode: 0o755 });
  const bytes = readdirSync(out).reduce((sum, f) => sum + statSync(path.join(out, f)).size, 0);
  log(`packed into ${out}: ${(bytes / 2 ** 20).toFixed(1)} MiB (${readdirSync(out).join(', ')})`);
  log(`on the GPU machine, from the repository root: bash ${path.relative(process.cwd(), out) || '.'}/run.sh   (BACKENDS=webgpu,wasm EPOCHS=3 by default)`);
  return 0;
}

const RUN_SH = `#!/usr/bin/env bash
# Made by \`npm run bench -- gpu-pack\`: runs kgneg's bench train from this pack,
# without network, Node or Neo4j on the machine. Results go to $OUT (or ./gpu-results).
set -euo pipefail
pack="$(cd "$(dirname "$0")" && pwd)"
out="\${OUT:-$PWD/gpu-results}"
mkdir -p "$out"
for deb in "$pack"/*.deb; do [ -e "$deb" ] && dpkg -x "$deb" /; done
ldconfig 2>/dev/null || true
# NVIDIA's Vulkan driver manifest where the device notes found it; keep one set by the caller.
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "\${VK_DRIVER_FILES:-}" ] && [ -e "$icd" ]; then export VK_DRIVER_FILES="$icd"; fi
work=/tmp/kgneg-gpu-pack
rm -rf "$work" && mkdir -p "$work"
python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$pack/pack.tar.xz" "$work"
cd "$work"
(nvidia-smi -L || true) 2>&1 | tee "$out/gpu.txt"
# One ranking thread: the pack has no tsx for worker threads.
KGNEG_RANK_THREADS=1 ./node kgneg.mjs bench train --split-file split.bin --backend "\${BACKENDS:-webgpu,wasm}" --epochs "\${EPOCHS:-3}" 2>&1 | tee "$out/bench-train.log"
cp bench-results/train-*.json "$out/"
`;
