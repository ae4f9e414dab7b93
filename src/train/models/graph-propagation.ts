/**
 * LightGCN's layer combination, (x + A x + ... + A^L x) / (L + 1) for the
 * normalised adjacency A = D^-1/2 B D^-1/2 of the user-item graph (B its 0/1
 * matrix), computed twice per batch over the whole graph: forward on the ego
 * table, backward on the gradient of the final table (A is symmetric).
 *
 * Two ways, chosen by the backend:
 * - native (tfjs-node): A x = D^-1/2 (B (D^-1/2 x)) with B x as TensorFlow's
 *   segment sum; x goes to TensorFlow once and the mean comes back once.
 *   On amazon-book this is ~3x faster than the JS products below.
 * - JS: the weighted CSR product split over the cores (ParallelSpmm), on every
 *   other backend (wasm and cpu have no sparse kernel; webgpu refuses LightGCN).
 * The two differ only by float rounding (the native one multiplies by
 * D^-1/2 twice where the JS one multiplies by a precomputed weight; tested).
 */
import { nativeSegmentSum, NormalisedSegmentProduct } from '../../sampling/native-segment-sum.js';
import { ParallelSpmm } from '../../sampling/parallel-spmm.js';
import { tf } from '../backend.js';

/** The normalised adjacency D^-1/2 B D^-1/2 of the bipartite graph, nodes = users then items. */
export interface NormalisedGraph {
  readonly nodes: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export interface LayerMean {
  /** 'tensorflow segment sums' or 'js, N threads': recorded with a run's timings. */
  readonly route: string;
  /** out ([nodes, width]) = (x + A x + ... + A^layers x) / (layers + 1). */
  meanOfPowers(x: Float32Array, out: Float32Array): void;
  dispose(): void;
}

export function layerMean(graph: NormalisedGraph, width: number, layers: number, options: { readonly route?: 'auto' | 'js' } = {}): LayerMean {
  const segmentSum = options.route === 'js' ? undefined : nativeSegmentSum();
  return segmentSum ? new NativeLayerMean(new NormalisedSegmentProduct(graph.indptr, graph.indices, segmentSum), width, layers) : new JsLayerMean(graph, width, layers);
}

class JsLayerMean implements LayerMean {
  readonly route: string;
  readonly #spmm: ParallelSpmm;
  readonly #width: number;
  readonly #layers: number;

  constructor(graph: NormalisedGraph, width: number, layers: number) {
    this.#spmm = new ParallelSpmm({ rows: graph.nodes, indptr: graph.indptr, indices: graph.indices, weights: graph.values }, width);
    this.#width = width;
    this.#layers = layers;
    this.route = `js, ${this.#spmm.threads} thread${this.#spmm.threads === 1 ? '' : 's'}`;
  }

  meanOfPowers(x: Float32Array, out: Float32Array): void {
    out.set(x);
    let current = x.slice();
    let next = new Float32Array(x.length);
    for (let l = 1; l <= this.#layers; l += 1) {
      this.#spmm.multiplyInto(current, this.#width, next);
      for (let k = 0; k < out.length; k += 1) out[k]! += next[k]!;
      [current, next] = [next, current];
    }
    const scale = 1 / (this.#layers + 1);
    for (let k = 0; k < out.length; k += 1) out[k]! *= scale;
  }

  dispose(): void {
    this.#spmm.dispose();
  }
}

class NativeLayerMean implements LayerMean {
  readonly route = 'tensorflow segment sums';
  readonly #width: number;
  readonly #layers: number;
  readonly #product: NormalisedSegmentProduct;

  constructor(product: NormalisedSegmentProduct, width: number, layers: number) {
    this.#product = product;
    this.#width = width;
    this.#layers = layers;
  }

  meanOfPowers(x: Float32Array, out: Float32Array): void {
    const mean = tf.tidy(() => {
      let current: tf.Tensor2D = tf.tensor2d(x, [this.#product.rows, this.#width]);
      let sum: tf.Tensor2D = current;
      for (let l = 1; l <= this.#layers; l += 1) {
        current = this.#product.multiply(current);
        sum = tf.add(sum, current) as tf.Tensor2D;
      }
      return tf.mul(sum, 1 / (this.#layers + 1));
    });
    out.set(mean.dataSync() as Float32Array);
    mean.dispose();
  }

  dispose(): void {
    this.#product.dispose();
  }
}
