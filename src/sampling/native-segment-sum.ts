/**
 * A TensorFlow kernel that tfjs does not expose, run by name on the native
 * (tfjs-node) backend. tfjs has no sparse-dense product, but TensorFlow's
 * SparseSegmentSum is one for a 0/1 matrix in CSR form: out[r] = sum of
 * data[indices[k]] over the k with segmentIds[k] = r. On amazon-book's
 * user-item graph (1.12M directed edges x 64) it takes ~47 ms where the JS
 * product takes ~330 ms on one thread and 176 ms on two.
 *
 * The op runs through the backend's own `executeSingleOutput` (the route its
 * registered kernels take). Older TensorFlow builds (tfjs-node's downloaded
 * 2.9.1) lack the `Tsegmentids` attribute, so it is set only where accepted.
 */
import * as tf from '@tensorflow/tfjs';
import { backendCapabilities } from '../base/tf-backend.js';

/** rows x width = S x for S with ones at (segmentIds[k], indices[k]). */
export type SegmentSum = (data: tf.Tensor2D, indices: tf.Tensor1D, segmentIds: tf.Tensor1D, rows: number) => tf.Tensor2D;

/** An op attribute as the binding takes it: type is the binding's TF_ATTR_TYPE, value a TF_DataType. */
interface TypeAttr {
  name: string;
  type: number;
  value: number;
}
interface NativeBackend {
  executeSingleOutput(name: string, attrs: TypeAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  binding?: { TF_ATTR_TYPE?: number; TF_FLOAT?: number; TF_INT32?: number };
}

/** The native segment sum, or undefined when the backend is not tfjs-node or the op does not run there. */
export function nativeSegmentSum(): SegmentSum | undefined {
  if (!backendCapabilities().nativeSegmentSum) return undefined;
  const backend = tf.backend() as unknown as NativeBackend;
  const { TF_ATTR_TYPE: type, TF_FLOAT: float, TF_INT32: int32 } = backend.binding ?? {};
  if (typeof backend.executeSingleOutput !== 'function' || type === undefined || float === undefined || int32 === undefined) return undefined;
  const base: TypeAttr[] = [
    { name: 'T', type, value: float },
    { name: 'Tidx', type, value: int32 },
    { name: 'Tnumsegments', type, value: int32 },
  ];
  for (const attrs of [[...base, { name: 'Tsegmentids', type, value: int32 }], base]) {
    const op: SegmentSum = (data, indices, segmentIds, rows) =>
      tf.tidy(() => {
        const numSegments = tf.scalar(rows, 'int32');
        return backend.executeSingleOutput('SparseSegmentSumWithNumSegments', attrs, [data, indices, segmentIds, numSegments]) as tf.Tensor2D;
      });
    if (probe(op)) return op;
  }
  return undefined;
}

/** Runs the op on a 3 x 2 example with an empty last row and checks the answer. */
function probe(op: SegmentSum): boolean {
  try {
    const got = tf.tidy(() => op(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([1, 0, 1], 'int32'), tf.tensor1d([0, 1, 1], 'int32'), 3).dataSync());
    return Array.from(got).join(',') === '3,4,4,6,0,0';
  } catch {
    return false;
  }
}

/**
 * x -> D^-1/2 B D^-1/2 x for the 0/1 matrix B of a CSR whose degrees are its
 * row lengths (a symmetric graph, every edge stored both ways): the normalised
 * adjacency of LightGCN and of KGPolicy's graph module, whose per-edge weight
 * 1/sqrt(d_n d_m) factors into a scaling before and after the segment sum.
 */
export class NormalisedSegmentProduct {
  readonly rows: number;
  readonly #segmentSum: SegmentSum;
  readonly #columns: tf.Tensor1D;
  readonly #rowOfEdge: tf.Tensor1D;
  /** [rows, 1]: 1/sqrt(degree), 0 for a node without edges. */
  readonly #invSqrtDegree: tf.Tensor2D;

  constructor(indptr: Int32Array, indices: Int32Array, segmentSum: SegmentSum) {
    this.rows = indptr.length - 1;
    this.#segmentSum = segmentSum;
    const rowOfEdge = new Int32Array(indices.length);
    const invSqrtDegree = new Float32Array(this.rows);
    for (let n = 0; n < this.rows; n += 1) {
      const from = indptr[n]!;
      const to = indptr[n + 1]!;
      rowOfEdge.fill(n, from, to);
      if (to > from) invSqrtDegree[n] = 1 / Math.sqrt(to - from);
    }
    this.#columns = tf.tensor1d(indices, 'int32');
    this.#rowOfEdge = tf.tensor1d(rowOfEdge, 'int32');
    this.#invSqrtDegree = tf.tensor2d(invSqrtDegree, [this.rows, 1]);
  }

  multiply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.mul(this.#segmentSum(tf.mul(x, this.#invSqrtDegree) as tf.Tensor2D, this.#columns, this.#rowOfEdge, this.rows), this.#invSqrtDegree) as tf.Tensor2D);
  }

  dispose(): void {
    tf.dispose([this.#columns, this.#rowOfEdge, this.#invSqrtDegree]);
  }
}
