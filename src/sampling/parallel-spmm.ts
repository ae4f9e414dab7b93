/**
 * out = A x for a sparse A (CSR with per-edge weights) and a dense x
 * ([cols, width]), split by edges between the calling thread and worker
 * threads that share the buffers. LightGCN propagates over the whole
 * user-item graph six times per batch (amazon-book: 1.1M directed edges x 64)
 * and KGPolicy's graph module four times per policy step (1.7M); the random
 * row reads of x make the product bound by memory latency, which a second
 * core hides as well as it adds arithmetic.
 *
 * The call stays synchronous (the tfjs custom gradient that calls it is): the
 * caller computes its own range and then blocks on Atomics.wait until every
 * worker has finished its range. Each output row is computed by one thread
 * with the same loop, so the result is bitwise the single-threaded one.
 * Workers run a plain-JS kernel passed as a string (no module loading), are
 * unref'd, and are ended by dispose().
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Below this many edges a product takes a few milliseconds and threads are not worth their hand-offs. */
const PARALLEL_MIN_EDGES = 200_000;
/** A worker that has not finished its range by then is taken to be dead. */
const WAIT_MS = 120_000;

export interface WeightedCsr {
  readonly rows: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly weights: Float32Array;
}

// The kernel, as text for the workers and as a function for the caller's own range.
const KERNEL = `function spmmRows(indptr, indices, weights, x, out, width, from, to) {
  for (let n = from; n < to; n += 1) {
    const o = n * width;
    for (let d = 0; d < width; d += 1) out[o + d] = 0;
    const end = indptr[n + 1];
    for (let k = indptr[n]; k < end; k += 1) {
      const w = weights[k];
      const src = indices[k] * width;
      for (let d = 0; d < width; d += 1) out[o + d] += w * x[src + d];
    }
  }
}`;

type Kernel = (indptr: Int32Array, indices: Int32Array, weights: Float32Array, x: Float32Array, out: Float32Array, width: number, from: number, to: number) => void;
const spmmRows = new Function(`${KERNEL}; return spmmRows;`)() as Kernel;

const WORKER = `
const { workerData } = require('node:worker_threads');
${KERNEL}
const { indptr, indices, weights, control, from, to, slot } = workerData;
let x, out, width = 0;
for (;;) {
  Atomics.wait(control, slot, 0);
  const job = Atomics.load(control, slot);
  if (job < 0) break;
  // control[0]: the product's width; buffers are re-bound when the caller grows them.
  width = control[0];
  x = new Float32Array(workerData.buffers.x);
  out = new Float32Array(workerData.buffers.out);
  spmmRows(indptr, indices, weights, x, out, width, from, to);
  Atomics.store(control, slot, 0);
  Atomics.notify(control, slot);
}
`;

/** Shared-memory buffers sized for the widest product asked for so far. */
interface Buffers {
  x: SharedArrayBuffer;
  out: SharedArrayBuffer;
}

export class ParallelSpmm {
  readonly rows: number;
  readonly #csr: WeightedCsr;
  readonly #workers: Worker[] = [];
  /** [0]: width; [1 + w]: worker w's job flag (1 = run, 0 = idle/done, -1 = exit). */
  readonly #control: Int32Array;
  /** The caller's own row range. */
  readonly #ownTo: number;
  readonly #maxWidth: number;
  readonly #buffers: Buffers;

  /**
   * threads: the total, caller included (default: one per available core when
   * the matrix has PARALLEL_MIN_EDGES edges, else 1). maxWidth: the widest x.
   */
  constructor(csr: WeightedCsr, maxWidth: number, threads?: number) {
    this.rows = csr.rows;
    this.#maxWidth = maxWidth;
    const wanted = threads ?? (csr.indices.length >= PARALLEL_MIN_EDGES ? availableParallelism() : 1);
    const parts = Math.max(1, Math.min(wanted, csr.rows));
    // Shared copies of the matrix, so workers read it without a transfer per call.
    const share = <T extends Int32Array | Float32Array>(a: T, make: (b: SharedArrayBuffer) => T): T => {
      if (parts === 1) return a;
      const copy = make(new SharedArrayBuffer(a.byteLength));
      copy.set(a as never);
      return copy;
    };
    this.#csr = {
      rows: csr.rows,
      indptr: share(csr.indptr, (b) => new Int32Array(b)),
      indices: share(csr.indices, (b) => new Int32Array(b)),
      weights: share(csr.weights, (b) => new Float32Array(b)),
    };
    this.#control = new Int32Array(new SharedArrayBuffer(4 * (1 + parts)));
    this.#buffers = {
      x: new SharedArrayBuffer(parts === 1 ? 0 : 4 * csr.rows * maxWidth),
      out: new SharedArrayBuffer(parts === 1 ? 0 : 4 * csr.rows * maxWidth),
    };
    const bounds = edgeBalancedBounds(csr.indptr, parts);
    this.#ownTo = bounds[1]!;
    for (let w = 1; w < parts; w += 1) {
      const worker = new Worker(WORKER, {
        eval: true,
        workerData: { ...this.#csr, control: this.#control, from: bounds[w], to: bounds[w + 1], slot: w, buffers: this.#buffers },
      });
      worker.unref();
      this.#workers.push(worker);
    }
  }

  get threads(): number {
    return this.#workers.length + 1;
  }

  /** A x for x [rows, width] (the matrix is square over the graph's nodes), into a new array. */
  multiply(x: Float32Array, width: number): Float32Array {
    const out = new Float32Array(this.rows * width);
    this.multiplyInto(x, width, out);
    return out;
  }

  /** out = A x; out ([rows, width]) is overwritten. */
  multiplyInto(x: Float32Array, width: number, out: Float32Array): void {
    const { indptr, indices, weights } = this.#csr;
    if (this.#workers.length === 0) {
      spmmRows(indptr, indices, weights, x, out, width, 0, this.rows);
      return;
    }
    if (width > this.#maxWidth) throw new Error(`ParallelSpmm: width ${width} exceeds the ${this.#maxWidth} it was built for`);
    const sharedX = new Float32Array(this.#buffers.x, 0, this.rows * width);
    sharedX.set(x.subarray(0, this.rows * width));
    const sharedOut = new Float32Array(this.#buffers.out, 0, this.rows * width);
    const control = this.#control;
    control[0] = width;
    for (let w = 1; w <= this.#workers.length; w += 1) {
      Atomics.store(control, w, 1);
      Atomics.notify(control, w);
    }
    spmmRows(indptr, indices, weights, sharedX, sharedOut, width, 0, this.#ownTo);
    for (let w = 1; w <= this.#workers.length; w += 1) {
      if (Atomics.wait(control, w, 1, WAIT_MS) === 'timed-out') throw new Error(`ParallelSpmm: worker ${w} did not finish its rows in ${WAIT_MS / 1000} s`);
    }
    // Copied out: the shared buffer is reused by the next product.
    out.set(sharedOut);
  }

  dispose(): void {
    for (let w = 1; w <= this.#workers.length; w += 1) {
      Atomics.store(this.#control, w, -1);
      Atomics.notify(this.#control, w);
    }
    for (const worker of this.#workers) void worker.terminate();
    this.#workers.length = 0;
  }
}

/** parts + 1 row bounds that split the edges (not the rows) evenly. */
export function edgeBalancedBounds(indptr: Int32Array, parts: number): Int32Array {
  const rows = indptr.length - 1;
  const edges = indptr[rows]!;
  const bounds = new Int32Array(parts + 1);
  let row = 0;
  for (let p = 1; p < parts; p += 1) {
    const target = (edges * p) / parts;
    while (row < rows && indptr[row]! < target) row += 1;
    bounds[p] = Math.max(row, bounds[p - 1]!);
  }
  bounds[parts] = rows;
  return bounds;
}
