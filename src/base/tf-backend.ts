/**
 * What the code decides by the active TensorFlow.js backend, in one table:
 * callers ask a capability, never compare backend names. It lives in src/base
 * so that src/sampling can ask too; src/train/backend.ts (which picks the
 * backend) re-exports it.
 *
 * A backend not in the table (none that selectBackend picks) has none of the
 * capabilities: every caller then takes its plain, portable path.
 */
import * as tf from '@tensorflow/tfjs';

export interface BackendCapabilities {
  /**
   * TensorFlow's own kernels can be run by name, so the graph products try
   * TensorFlow's SparseSegmentSum (tfjs-node; see native-segment-sum.ts).
   */
  readonly nativeSegmentSum: boolean;
  /**
   * Full ranking scores and reduces inside the backend and reads back only the
   * best item blocks (block-ranking.ts), rather than reading whole score rows
   * into JS (rank-chunks.ts). Pays where the read-back costs more than the
   * backend's own reductions (tfjs-node).
   */
  readonly rankByItemBlocks: boolean;
  /**
   * The backend's matrix product runs on one core (wasm, cpu), so a large full
   * ranking is split over ranking worker threads (full-ranking.ts); a backend
   * that is multi-threaded already ranks on the main thread.
   */
  readonly rankOnWorkerThreads: boolean;
  /**
   * matMul with `transposeA` is fast (tfjs-node). Elsewhere (wasm) a transpose
   * followed by a plain product is many times faster than the flag
   * (jnskr-loss.ts gram).
   */
  readonly matMulTransposeA: boolean;
  /**
   * Tensors can only be read back asynchronously: tfjs-backend-webgpu in Node
   * (its readSync goes through OffscreenCanvas, which Node lacks). See
   * readsAsync and assertSyncReads in src/train/backend.ts.
   */
  readonly asyncReadsRequired: boolean;
  /**
   * A float32 tensor's values can be read as a view into the backend's heap,
   * without the copy dataSync makes (wasm; see borrowValues in src/train/backend.ts).
   */
  readonly heapViews: boolean;
}

const NONE: BackendCapabilities = Object.freeze({
  nativeSegmentSum: false,
  rankByItemBlocks: false,
  rankOnWorkerThreads: false,
  matMulTransposeA: false,
  asyncReadsRequired: false,
  heapViews: false,
});

const CAPABILITIES: Readonly<Record<string, BackendCapabilities>> = Object.freeze({
  tensorflow: Object.freeze({ ...NONE, nativeSegmentSum: true, rankByItemBlocks: true, matMulTransposeA: true }),
  wasm: Object.freeze({ ...NONE, rankOnWorkerThreads: true, heapViews: true }),
  cpu: Object.freeze({ ...NONE, rankOnWorkerThreads: true }),
  webgpu: Object.freeze({ ...NONE, asyncReadsRequired: true }),
});

/** The capabilities of the tfjs backend named `name` ('tensorflow', 'wasm', 'cpu', 'webgpu'). */
export function capabilitiesOf(name: string): BackendCapabilities {
  return Object.hasOwn(CAPABILITIES, name) ? CAPABILITIES[name]! : NONE;
}

/** The capabilities of the tfjs backend active now. */
export function backendCapabilities(): BackendCapabilities {
  return capabilitiesOf(tf.getBackend());
}
