/**
 * LightGCN (He et al. 2020), the encoder of the SDNS and RecNS papers: the
 * ego embeddings E0 of users and items are propagated L times over the
 * symmetrically normalised user-item graph, E_l = A E_(l-1), and the final
 * embedding is their mean over layers 0..L.
 *
 * tfjs has no sparse-dense product with gradients, so the propagation and its
 * backward pass are done outside tfjs's autodiff (./graph-propagation.ts:
 * TensorFlow's segment sums on tfjs-node, a CSR product over the cores
 * elsewhere; A is symmetric, so the backward pass propagates the gradient with
 * the same A). tfjs computes the loss and its gradient with respect to the
 * batch's final embeddings, as for MF. Every step touches every row, so the
 * update is dense. L2 is on the batch's ego rows, as in the LightGCN code.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import type { Csr } from '../../base/csr.js';
import { Rng } from '../../base/rng.js';
import { tf } from '../backend.js';
import type { LossFn } from '../losses.js';
import type { Optimizer } from '../optim/adam.js';
import { layerMean, type LayerMean, type NormalisedGraph } from './graph-propagation.js';
import { ParamTable } from '../params.js';
import { innerProductScores } from './pairwise.js';
import { negativeGradients, negativeRows } from './negatives.js';
import type { FinalEmbeddings, Model, ModelInit, StepResult, TrainBatch } from './types.js';

export type { NormalisedGraph };

export function normalisedGraph(train: Csr): NormalisedGraph {
  const users = train.rows;
  const nodes = users + train.cols;
  const degree = new Float64Array(nodes);
  for (let u = 0; u < users; u += 1) {
    for (let k = train.indptr[u]!; k < train.indptr[u + 1]!; k += 1) {
      degree[u]! += 1;
      degree[users + train.indices[k]!]! += 1;
    }
  }
  const counts = new Int32Array(nodes + 1);
  for (let n = 0; n < nodes; n += 1) counts[n + 1] = counts[n]! + degree[n]!;
  const indptr = counts.slice();
  const fill = counts.slice(0, nodes);
  const indices = new Int32Array(counts[nodes]!);
  const values = new Float32Array(counts[nodes]!);
  for (let u = 0; u < users; u += 1) {
    for (let k = train.indptr[u]!; k < train.indptr[u + 1]!; k += 1) {
      const item = users + train.indices[k]!;
      const w = 1 / Math.sqrt(degree[u]! * degree[item]!);
      indices[fill[u]!] = item;
      values[fill[u]!++] = w;
      indices[fill[item]!] = u;
      values[fill[item]!++] = w;
    }
  }
  return { nodes, indptr, indices, values };
}

export class LightGcn implements Model {
  readonly name = 'lightgcn';
  readonly dim: number;
  readonly updates = 'dense' as const;
  /** [users + items, dim]: users first. */
  readonly ego: ParamTable;
  readonly #propagation: LayerMean;
  readonly #users: number;
  readonly #l2: number;
  #final: Float32Array | undefined;

  /** route 'js' forces the JS product on tfjs-node too (for comparisons). */
  constructor(init: ModelInit, train: Csr, layers = 3, options: { readonly route?: 'auto' | 'js' } = {}) {
    const rng = new Rng(init.seed);
    this.dim = init.dim;
    this.#users = init.users;
    this.#l2 = init.l2;
    this.#propagation = layerMean(normalisedGraph(train), init.dim, layers, options);
    this.ego = ParamTable.xavier('ego', init.users + init.items, init.dim, rng);
  }

  /** Mean of layers 0..L, recomputed after every update. */
  #finalTable(): Float32Array {
    if (this.#final) return this.#final;
    const final = new Float32Array(this.ego.data.length);
    this.#propagation.meanOfPowers(this.ego.data, final);
    this.#final = final;
    return final;
  }

  /** How the propagation runs ('tensorflow segment sums' or 'js, N threads'). */
  get propagationRoute(): string {
    return this.#propagation.route;
  }

  trainStep(batch: TrainBatch, loss: LossFn, optimizer: Optimizer): StepResult {
    const dim = this.dim;
    const size = batch.userIdxs.length;
    const { k } = batch;
    const final = this.#finalTable();
    const rows = (nodes: Int32Array, offset: number) => {
      const out = new Float32Array(nodes.length * dim);
      for (let r = 0; r < nodes.length; r += 1) out.set(final.subarray((offset + nodes[r]!) * dim, (offset + nodes[r]! + 1) * dim), r * dim);
      return out;
    };
    const uRows = rows(batch.userIdxs, 0);
    const pRows = rows(batch.posItemIdxs, this.#users);
    const nRows = negativeRows(final, this.#users, batch, dim);
    const kept = tf.tidy(() => {
      const inputs = [tf.tensor2d(uRows, [size, dim]), tf.tensor2d(pRows, [size, dim]), tf.tensor3d(nRows, [size, k, dim])];
      const scores = (u: tfc.Tensor, p: tfc.Tensor, n: tfc.Tensor) => ({
        pos: tf.sum(tf.mul(u, p), 1) as tfc.Tensor1D,
        neg: tf.sum(tf.mul(tf.expandDims(u, 1), n), 2) as tfc.Tensor2D,
      });
      const { value, grads } = tf.valueAndGrads((u: tfc.Tensor, p: tfc.Tensor, n: tfc.Tensor) => {
        const { pos, neg } = scores(u, p, n);
        return loss(pos, neg) as tfc.Scalar;
      })(inputs);
      const { pos, neg } = scores(inputs[0]!, inputs[1]!, inputs[2]!);
      return [value, tf.mean(tf.sigmoid(tf.sub(neg, tf.expandDims(pos, 1)))), ...grads];
    });
    const [lossValue, magnitude, gU, gP, gN] = kept.map((t) => t.dataSync() as Float32Array);
    tf.dispose(kept);

    // Gradient with respect to the final table, then back through the layers.
    const size2 = this.ego.data.length;
    const gFinal = new Float32Array(size2);
    const scatter = (nodes: Int32Array, offset: number, grads: Float32Array) => {
      for (let r = 0; r < nodes.length; r += 1) {
        const base = (offset + nodes[r]!) * dim;
        for (let d = 0; d < dim; d += 1) gFinal[base + d]! += grads[r * dim + d]!;
      }
    };
    scatter(batch.userIdxs, 0, gU!);
    scatter(batch.posItemIdxs, this.#users, gP!);
    const negatives = negativeGradients(batch, gN!, dim);
    scatter(negatives.itemIdxs, this.#users, negatives.grads);
    // The same layer mean is the backward pass: A is symmetric.
    const gEgo = new Float32Array(size2);
    this.#propagation.meanOfPowers(gFinal, gEgo);
    // L2 on the ego rows of the batch, scaled by the batch as in the LightGCN code.
    let reg = 0;
    const regRows = (nodes: Int32Array, offset: number) => {
      for (let r = 0; r < nodes.length; r += 1) {
        const base = (offset + nodes[r]!) * dim;
        for (let d = 0; d < dim; d += 1) {
          const w = this.ego.data[base + d]!;
          reg += (this.#l2 / 2) * w * w / size;
          gEgo[base + d]! += (this.#l2 * w) / size;
        }
      }
    };
    regRows(batch.userIdxs, 0);
    regRows(batch.posItemIdxs, this.#users);
    regRows(batch.negMixture?.itemIdxs ?? batch.negItemIdxs, this.#users);
    optimizer.beginStep();
    optimizer.applyDense(this.ego, gEgo);
    this.#final = undefined;
    return { loss: (lossValue?.[0] ?? Number.NaN) + reg, meanGradMagnitude: magnitude?.[0] ?? Number.NaN };
  }

  scoreCandidates(userIdxs: Int32Array, itemIdxs: Int32Array, perUser: number): Float32Array {
    const { users, items } = this.finalEmbeddings();
    return innerProductScores(
      new ParamTable('u', this.#users, this.dim, users),
      new ParamTable('i', items.length / this.dim, this.dim, items),
      userIdxs,
      itemIdxs,
      perUser,
    );
  }

  scoreItemPairs(anchorItemIdxs: Int32Array, itemIdxs: Int32Array, perAnchor: number): Float32Array {
    const { items } = this.finalEmbeddings();
    const table = new ParamTable('i', items.length / this.dim, this.dim, items);
    return innerProductScores(table, table, anchorItemIdxs, itemIdxs, perAnchor);
  }

  finalEmbeddings(): FinalEmbeddings {
    const final = this.#finalTable();
    return { dim: this.dim, users: final.subarray(0, this.#users * this.dim), items: final.subarray(this.#users * this.dim) };
  }

  tablesChanged(): void {
    this.#final = undefined;
  }

  tables(): readonly ParamTable[] {
    return [this.ego];
  }

  dispose(): void {
    this.#final = undefined;
    this.#propagation.dispose();
  }
}
