/**
 * The one place that picks the TensorFlow.js backend.
 *
 * `auto` tries, in order: @tensorflow/tfjs-node-gpu with a visible GPU,
 * @tensorflow/tfjs-node (native TensorFlow on the CPU), the wasm backend, and
 * the plain JS cpu backend; it logs what it chose and why the better ones were
 * skipped. The native packages are optional dependencies: their install script
 * downloads libtensorflow, which fails offline, and npm then leaves them out.
 * Asking for a backend explicitly that cannot load is an error, not a fallback.
 */
// The union package, not tfjs-core alone: tfjs-core's Node bundle registers no
// gradients, and its ES build cannot be imported by Node; @tensorflow/tfjs's
// Node bundle registers them (and the cpu backend) for the shared engine.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { backendCapabilities, capabilitiesOf } from '../base/tf-backend.js';
import { KgnegError } from '../graph/errors.js';

/** What callers decide by the active backend (src/base/tf-backend.ts): they ask this, never the backend's name. */
export { backendCapabilities } from '../base/tf-backend.js';

/**
 * The gradient of a matrix product, with every transposition made explicit.
 * tfjs's own gradient asks for products with transposed operands, which the
 * wasm kernel computes many times slower than a transpose followed by a plain
 * product (a JNSKR epoch on lastfm: 4.2 s, of it 3.2 s in those products). Same
 * values; registered once, for every backend.
 */
function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = Array.from({ length: x.rank }, (_, k) => k);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1]!, perm[x.rank - 2]!];
  return tf.transpose(x, perm);
}

function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  return tf.matMul(transposeA ? transposeLast(a) : a, transposeB ? transposeLast(b) : b);
}

tf.registerGradient({
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const g = dy as tf.Tensor;
    if (!transposeA && !transposeB) return { a: () => product(g, b, false, true), b: () => product(a, g, true, false) };
    if (!transposeA && transposeB) return { a: () => product(g, b, false, false), b: () => product(g, a, true, false) };
    if (transposeA && !transposeB) return { a: () => product(b, g, false, true), b: () => product(a, g, false, false) };
    return { a: () => product(b, g, true, true), b: () => product(g, a, true, true) };
  },
});

export const BACKEND_REQUESTS = ['auto', 'tensorflow', 'wasm', 'cpu', 'webgpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

export interface BackendChoice {
  /** The tfjs backend name now active: 'tensorflow', 'wasm', 'cpu' or 'webgpu'. */
  readonly name: string;
  /** What provided it, e.g. '@tensorflow/tfjs-node-gpu (GPU)'. */
  readonly provider: string;
  readonly gpu: boolean;
  /** Why better candidates were not used. */
  readonly skipped: readonly { readonly candidate: string; readonly reason: string }[];
}

interface Candidate {
  readonly label: string;
  readonly backend: 'tensorflow' | 'wasm' | 'cpu' | 'webgpu';
  readonly gpu: boolean;
  /** Only when asked for by name: experimental, or not worth trying first. */
  readonly explicitOnly?: boolean;
  load(): Promise<void>;
}

const CANDIDATES: readonly Candidate[] = [
  { label: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow', gpu: true, load: () => importNative('@tensorflow/tfjs-node-gpu') },
  { label: '@tensorflow/tfjs-node', backend: 'tensorflow', gpu: false, load: () => importNative('@tensorflow/tfjs-node') },
  { label: '@tensorflow/tfjs-backend-wasm', backend: 'wasm', gpu: false, load: async () => undefined },
  { label: '@tensorflow/tfjs-backend-cpu', backend: 'cpu', gpu: false, load: async () => undefined },
  { label: '@tensorflow/tfjs-backend-webgpu (Dawn, npm package webgpu)', backend: 'webgpu', gpu: true, explicitOnly: true, load: loadWebGpu },
];

let active: BackendChoice | undefined;

export async function selectBackend(request: BackendRequest = 'auto', log: (line: string) => void = () => undefined): Promise<BackendChoice> {
  if (active && (request === 'auto' || active.name === request)) {
    await tf.setBackend(active.name);
    return active;
  }
  const candidates = CANDIDATES.filter((c) => (request === 'auto' ? !c.explicitOnly : c.backend === request));
  const skipped: { candidate: string; reason: string }[] = [];
  for (const candidate of candidates) {
    const reason = await tryCandidate(candidate);
    if (reason === undefined) {
      active = Object.freeze({ name: candidate.backend, provider: candidate.label, gpu: candidate.gpu, skipped: Object.freeze(skipped) });
      log(
        `tfjs backend: ${candidate.backend} (${candidate.label}${candidate.gpu ? ', GPU' : ''})` +
          skipped.map((s) => `; skipped ${s.candidate}: ${s.reason}`).join(''),
      );
      return active;
    }
    skipped.push({ candidate: candidate.label, reason });
  }
  throw new KgnegError(
    `the ${request} backend cannot be used: ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}`,
    {
      hint:
        request === 'tensorflow'
          ? 'run `npm run setup:tensorflow` (builds @tensorflow/tfjs-node from the PyPI tensorflow-cpu wheel), or use --backend wasm'
          : request === 'webgpu'
            ? 'webgpu needs a GPU with a Vulkan driver (Linux) visible to Dawn; use --backend auto'
            : 'use --backend auto',
      exitCode: 2,
    },
  );
}

/**
 * Whether results must be read back asynchronously. tfjs-backend-webgpu in
 * Node can only read that way (its readSync goes through OffscreenCanvas,
 * which Node lacks: the capability asyncReadsRequired), so there the MF/GMF
 * step and full ranking await `tensor.data()`; every other backend reads
 * synchronously, which is cheaper.
 * KGNEG_ASYNC_READS=1 takes the asynchronous path on any backend: it is how
 * that path is tested on machines without a GPU.
 */
export function readsAsync(): boolean {
  return backendCapabilities().asyncReadsRequired || process.env['KGNEG_ASYNC_READS'] === '1';
}

/**
 * Models and samplers that read tensors synchronously (LightGCN, JNSKR, and
 * the samplers with a tfjs network of their own) cannot run on webgpu: say so
 * up front instead of failing inside the first batch. `what` names them.
 */
export function assertSyncReads(choice: BackendChoice, what: string): void {
  if (!capabilitiesOf(choice.name).asyncReadsRequired) return;
  throw new KgnegError(`${what} cannot run on the ${choice.name} backend: it reads tensors back synchronously, and tfjs-backend-webgpu in Node reads only asynchronously`, {
    hint: 'on webgpu train mf or gmf with uniform, popularity, dns or sdns; or use --backend tensorflow (npm run setup:tensorflow) or wasm',
    exitCode: 2,
  });
}

async function tryCandidate(candidate: Candidate): Promise<string | undefined> {
  try {
    await candidate.load();
  } catch (error) {
    return describeLoadError(candidate, error);
  }
  if (!tf.findBackendFactory(candidate.backend)) return 'the package loaded but registered no backend';
  try {
    if (!(await tf.setBackend(candidate.backend))) return 'the backend failed to initialise';
    await tf.ready();
  } catch (error) {
    return `the backend failed to initialise: ${firstLine(error)}`;
  }
  // The cpu backend's first write advises installing tfjs-node; here the choice was made and logged already.
  if (candidate.backend === 'cpu') (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  if (candidate.gpu && !nativeBackendUsesGpu()) {
    return 'loaded, but TensorFlow sees no GPU (needs CUDA 11.2 and cuDNN 8.1)';
  }
  return undefined;
}

/** Whether the native backend placed its device on a GPU (tfjs-node-gpu without CUDA runs on the CPU). */
function nativeBackendUsesGpu(): boolean {
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean | (() => boolean) };
  const flag = backend.isUsingGpuDevice;
  return typeof flag === 'function' ? flag.call(backend) : flag === true;
}

async function importNative(name: string): Promise<void> {
  // A package without its addon registers all its kernels before failing on
  // the binding; its working twin would then register them again, warning
  // once per kernel. So look for the addon first.
  const dir = packageDir(name);
  if (dir !== undefined && !hasNativeAddon(dir)) throw new Error(`${name}: tfjs_binding.node can not be found`);
  // TensorFlow's C++ logging prints CPU-feature notices on every load; keep warnings and errors.
  process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
  await import(name);
}

/**
 * WebGPU in Node: the `webgpu` package is Dawn built as a Node addon; it
 * supplies what a browser would (navigator.gpu, the GPU* globals). Without an
 * adapter tfjs-backend-webgpu fails deep inside its initialisation, so ask for
 * one first and say plainly that there is none.
 */
async function loadWebGpu(): Promise<void> {
  const dawn = (await import('webgpu')) as unknown as { create(flags: string[]): { requestAdapter(): Promise<unknown> }; globals: object };
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter();
  if (adapter === null || adapter === undefined) throw new Error('Dawn loaded, but found no GPU adapter (no GPU, or no Vulkan driver for it)');
  const scope = globalThis as unknown as { navigator?: object };
  if (!scope.navigator) scope.navigator = {};
  Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
}

function packageDir(name: string): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** Whether a tfjs-node(-gpu) package directory holds a built addon (under any N-API version). */
export function hasNativeAddon(dir: string): boolean {
  const lib = join(dir, 'lib');
  return existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
}

function describeLoadError(candidate: Candidate, error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    if (candidate.backend === 'webgpu') return 'not installed (the optional dependencies webgpu and @tensorflow/tfjs-backend-webgpu)';
    return 'not installed (`npm run setup:tensorflow` builds @tensorflow/tfjs-node from the PyPI wheel)';
  }
  const message = firstLine(error);
  // Installed with --ignore-scripts (as setup:tensorflow installs the pair) or after a failed download.
  if (message.includes('tfjs_binding.node') && message.includes('can not be found')) {
    return 'installed without its native addon (for tfjs-node: `npm run setup:tensorflow`; tfjs-node-gpu builds its own on install, with internet, CUDA 11.2 and cuDNN 8.1)';
  }
  return message;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
}

export { tf };

/**
 * The values of a float32 tensor for reading (and scribbling on) in JS, without
 * the copy dataSync makes where the backend allows it: on wasm a view into the
 * module's heap, valid until `release()` (which disposes the tensor). A full
 * ranking of amazon-book reads 7 GB of scores; the copy alone took 4.3 s.
 */
export function borrowValues(tensor: tf.Tensor): { values: Float32Array; release(): void } {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.Tensor) => Float32Array };
  if (backendCapabilities().heapViews && typeof backend.typedArrayFromHeap === 'function' && tensor.dtype === 'float32') {
    return { values: backend.typedArrayFromHeap(tensor), release: () => tensor.dispose() };
  }
  const values = tensor.dataSync() as Float32Array;
  return { values, release: () => tensor.dispose() };
}
