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
import { KgnegError } from '../graph/errors.js';

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

export const BACKEND_REQUESTS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

export interface BackendChoice {
  /** The tfjs backend name now active: 'tensorflow', 'wasm' or 'cpu'. */
  readonly name: string;
  /** What provided it, e.g. '@tensorflow/tfjs-node-gpu (GPU)'. */
  readonly provider: string;
  readonly gpu: boolean;
  /** Why better candidates were not used. */
  readonly skipped: readonly { readonly candidate: string; readonly reason: string }[];
}

interface Candidate {
  readonly label: string;
  readonly backend: 'tensorflow' | 'wasm' | 'cpu';
  readonly gpu: boolean;
  load(): Promise<void>;
}

const CANDIDATES: readonly Candidate[] = [
  { label: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow', gpu: true, load: () => importNative('@tensorflow/tfjs-node-gpu') },
  { label: '@tensorflow/tfjs-node', backend: 'tensorflow', gpu: false, load: () => importNative('@tensorflow/tfjs-node') },
  { label: '@tensorflow/tfjs-backend-wasm', backend: 'wasm', gpu: false, load: async () => undefined },
  { label: '@tensorflow/tfjs-backend-cpu', backend: 'cpu', gpu: false, load: async () => undefined },
];

let active: BackendChoice | undefined;

export async function selectBackend(request: BackendRequest = 'auto', log: (line: string) => void = () => undefined): Promise<BackendChoice> {
  if (active && (request === 'auto' || active.name === request)) {
    await tf.setBackend(active.name);
    return active;
  }
  const candidates = request === 'auto' ? CANDIDATES : CANDIDATES.filter((c) => c.backend === request);
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
          ? 'install @tensorflow/tfjs-node (it downloads libtensorflow; needs internet), or use --backend wasm'
          : 'use --backend auto',
      exitCode: 2,
    },
  );
}

async function tryCandidate(candidate: Candidate): Promise<string | undefined> {
  try {
    await candidate.load();
  } catch (error) {
    return describeLoadError(error);
  }
  if (!tf.findBackendFactory(candidate.backend)) return 'the package loaded but registered no backend';
  try {
    if (!(await tf.setBackend(candidate.backend))) return 'the backend failed to initialise';
    await tf.ready();
  } catch (error) {
    return `the backend failed to initialise: ${firstLine(error)}`;
  }
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
  await import(name);
}

function describeLoadError(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return 'not installed (its install script downloads libtensorflow, which needs internet)';
  }
  return firstLine(error);
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
  if (tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function' && tensor.dtype === 'float32') {
    return { values: backend.typedArrayFromHeap(tensor), release: () => tensor.dispose() };
  }
  const values = tensor.dataSync() as Float32Array;
  return { values, release: () => tensor.dispose() };
}
