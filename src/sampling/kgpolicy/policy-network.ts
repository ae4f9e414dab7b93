/**
 * KGPolicy's graph learning module in tfjs (eqs. 9-10) and its parameters
 * Theta_S: the
 * ID embeddings h^(0) of every node (users, items, KG entities) and the
 * GraphSAGE weights W^(l), Xavier-initialised as the paper says (4.3.2).
 *
 *   h^(l)_e = LeakyReLU( W^(l) [ h^(l-1)_e || sum_{e' in N_e} h^(l-1)_e' / sqrt(|N_e| |N_e'|) ] )
 * The attention of the walk (attention.ts) runs on the output values.
 *
 * The aggregation is a sparse product with the normalised adjacency: on
 * tfjs-node TensorFlow's segment sum (../native-segment-sum.ts; tfjs's own
 * gather + unsorted segment sum was no faster than JS), elsewhere a JS product
 * over the CSR split over the cores (../parallel-spmm.ts): either way its cost
 * follows the edges. The adjacency is symmetric (every edge is read in both
 * directions) and so is the normalisation, so the product is its own gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { Csr } from '../../base/csr.js';
import type { Rng } from '../../base/rng.js';
import { nativeSegmentSum, NormalisedSegmentProduct } from '../native-segment-sum.js';
import { ParallelSpmm } from '../parallel-spmm.js';

export interface PolicyNetworkConfig {
  readonly dim: number;
  readonly layers: number;
  readonly learningRate: number;
  readonly rng: Rng;
  /** Threads for the JS sparse products (default: one per core on large graphs, see parallel-spmm.ts). */
  readonly threads?: number;
  /** 'js' keeps the JS product on tfjs-node too (for comparisons); default: the native one where it runs. */
  readonly route?: 'auto' | 'js';
}

export class KgPolicyNetwork {
  readonly dim: number;
  readonly nodes: number;
  readonly h0: tf.Variable;
  readonly weights: readonly tf.Variable[];
  readonly optimizer: tf.Optimizer;
  readonly #aggregate: (h: tf.Tensor2D) => tf.Tensor2D;
  readonly #product: ParallelSpmm | NormalisedSegmentProduct;

  constructor(adjacency: Csr, config: PolicyNetworkConfig) {
    const { dim, rng } = config;
    this.dim = dim;
    this.nodes = adjacency.rows;
    const xavier = (rows: number, cols: number) => {
      const limit = Math.sqrt(6 / (rows + cols));
      return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => (rng.nextFloat() * 2 - 1) * limit), [rows, cols]);
    };
    this.h0 = tf.variable(xavier(this.nodes, dim), true);
    this.weights = Array.from({ length: config.layers }, () => tf.variable(xavier(2 * dim, dim), true));
    const nodes = this.nodes;
    const segmentSum = config.route === 'js' ? undefined : nativeSegmentSum();
    if (segmentSum) {
      const product = new NormalisedSegmentProduct(adjacency.indptr, adjacency.indices, segmentSum);
      this.#product = product;
      this.#aggregate = tf.customGrad(((h: tf.Tensor) => ({
        value: product.multiply(h as tf.Tensor2D),
        gradFunc: (dy: tf.Tensor) => product.multiply(dy as tf.Tensor2D),
      })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (h: tf.Tensor2D) => tf.Tensor2D;
    } else {
      const norm = new Float32Array(adjacency.indices.length);
      const degree = (n: number) => adjacency.indptr[n + 1]! - adjacency.indptr[n]!;
      for (let n = 0; n < nodes; n += 1) {
        for (let k = adjacency.indptr[n]!; k < adjacency.indptr[n + 1]!; k += 1) norm[k] = 1 / Math.sqrt(degree(n) * degree(adjacency.indices[k]!));
      }
      const spmm = new ParallelSpmm({ rows: nodes, indptr: adjacency.indptr, indices: adjacency.indices, weights: norm }, dim, config.threads);
      this.#product = spmm;
      const product = (x: Float32Array, width: number): Float32Array => spmm.multiply(x, width);
      this.#aggregate = tf.customGrad(((h: tf.Tensor) => {
        const width = h.shape[1]!;
        return {
          value: tf.tensor2d(product(h.dataSync() as Float32Array, width), [nodes, width]),
          gradFunc: (dy: tf.Tensor) => tf.tensor2d(product(dy.dataSync() as Float32Array, width), [nodes, width]),
        };
      }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (h: tf.Tensor2D) => tf.Tensor2D;
    }
    this.optimizer = tf.train.adam(config.learningRate);
  }

  variables(): tf.Variable[] {
    return [this.h0, ...this.weights];
  }

  /** h_e for every node after the GraphSAGE layers ([nodes, dim]); differentiable. */
  represent(): tf.Tensor2D {
    let h = this.h0 as unknown as tf.Tensor2D;
    for (const w of this.weights) {
      const neighbours = this.#aggregate(h);
      h = tf.leakyRelu(tf.matMul(tf.concat([h, neighbours], 1), w), 0.2) as tf.Tensor2D;
    }
    return h;
  }

  /** The representations as plain values ([nodes * dim], row-major), no gradient tape. */
  representValues(): Float32Array {
    const h = tf.tidy(() => this.represent());
    const values = (h.dataSync() as Float32Array).slice();
    h.dispose();
    return values;
  }

  /**
   * One policy step around a walk. `walk` gets the representations as plain
   * values and returns dLoss/dH ([nodes * dim]); the gradient of sum(H * G)
   * with respect to Theta_S is exactly the chain rule's vector-Jacobian
   * product, so the walk's attention and REINFORCE terms are differentiated by
   * hand on plain arrays and only the graph module goes through tfjs. The walk
   * runs inside the taped forward pass, so the pass it reads is the one
   * differentiated: one forward per step instead of two (a third of the graph
   * module's time on amazon-book). Returns the values the walk saw.
   */
  /** How the aggregation runs: 'tensorflow segment sums' or 'js, N threads'. */
  get aggregationRoute(): string {
    const product = this.#product;
    return product instanceof ParallelSpmm ? `js, ${product.threads} thread${product.threads === 1 ? '' : 's'}` : 'tensorflow segment sums';
  }

  learn(walk: (h: Float32Array) => Float32Array): Float32Array {
    let values: Float32Array | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const h = this.represent();
      values = (h.dataSync() as Float32Array).slice();
      return tf.sum(tf.mul(h, tf.tensor2d(walk(values), [this.nodes, this.dim]))) as tf.Scalar;
    }, this.variables());
    this.optimizer.applyGradients(grads);
    tf.dispose([value, ...Object.values(grads)]);
    return values!;
  }

  dispose(): void {
    tf.dispose([this.h0, ...this.weights]);
    this.optimizer.dispose();
    this.#product.dispose();
  }
}
