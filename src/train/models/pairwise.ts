/**
 * The shared training step of inner-product models with lookup-table
 * embeddings (MF, GMF): gather the batch's rows, let tfjs compute loss and
 * gradients on them, and hand the gradients of the touched rows to the
 * optimizer. `weights` (GMF's h) scales the product elementwise.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { readsAsync, tf } from '../backend.js';
import type { LossFn } from '../losses.js';
import type { Optimizer } from '../optim/adam.js';
import type { ParamTable } from '../params.js';
import { negativeGradients, negativeRows } from './negatives.js';
import type { StepResult, TrainBatch } from './types.js';

export interface PairwiseTables {
  readonly users: ParamTable;
  readonly items: ParamTable;
  /** [1, dim] or absent */
  readonly weights?: ParamTable;
}

export function pairwiseStep(
  tables: PairwiseTables,
  batch: TrainBatch,
  loss: LossFn,
  optimizer: Optimizer,
  l2: number,
): StepResult | Promise<StepResult> {
  const { users, items, weights } = tables;
  const size = batch.userIdxs.length;
  const { k } = batch;
  const dim = users.dim;
  const uRows = users.gather(batch.userIdxs);
  const pRows = items.gather(batch.posItemIdxs);
  const nRows = negativeRows(items.data, 0, batch, dim);

  // tidy returns tensors only: handing it typed arrays makes it walk every element.
  const kept = tf.tidy(() => {
    const U = tf.tensor2d(uRows, [size, dim]);
    const P = tf.tensor2d(pRows, [size, dim]);
    const N = tf.tensor3d(nRows, [size, k, dim]);
    const H = weights ? tf.tensor2d(weights.data, [1, dim]) : undefined;
    const UH = H ? tf.mul(U, H) : U;
    const pos = tf.sum(tf.mul(UH, P), 1) as tfc.Tensor1D;
    const neg = tf.sum(tf.mul(tf.expandDims(UH, 1), N), 2) as tfc.Tensor2D;
    // Autodiff runs on the loss over the scores only ([B] and [B, k]). Through
    // the inner products it would pay for tfjs's sum gradient, which builds a
    // ones tensor of every operand's shape in JS per batch (a quarter of an
    // amazon-book MF step); that part is written out below instead.
    const { value, grads } = tf.valueAndGrads((p: tfc.Tensor, n: tfc.Tensor) => loss(p as tfc.Tensor1D, n as tfc.Tensor2D))([pos, neg]);
    const [dPos, dNeg] = grads as [tfc.Tensor1D, tfc.Tensor2D];
    // L2 on the rows this batch touches, scaled by the batch as in the KGPolicy/LightGCN codes.
    const decay = l2 / size;
    const reg = tf.mul(decay / 2, tf.addN([tf.sum(tf.square(U)), tf.sum(tf.square(P)), tf.sum(tf.square(N))]));
    const dNeg3 = tf.expandDims(dNeg, 2);
    const dUH = tf.add(tf.mul(tf.expandDims(dPos, 1), P), tf.sum(tf.mul(dNeg3, N), 1));
    const dU = tf.add(H ? tf.mul(dUH, H) : dUH, tf.mul(decay, U));
    const dP = tf.add(tf.mul(tf.expandDims(dPos, 1), UH), tf.mul(decay, P));
    const dN = tf.add(tf.mul(dNeg3, tf.expandDims(UH, 1)), tf.mul(decay, N));
    const magnitude = tf.mean(tf.sigmoid(tf.sub(neg, tf.expandDims(pos, 1))));
    const out = [tf.add(value, reg), magnitude, dU, dP, dN];
    if (H) out.push(tf.sum(tf.mul(dUH, U), 0, true));
    return out;
  });
  const apply = (values: Float32Array[]) => applyPairwise(tables, batch, optimizer, values);
  if (readsAsync()) {
    // webgpu: the values come back asynchronously (see backend.ts).
    return Promise.all(kept.map((t) => t.data() as Promise<Float32Array>)).then(
      (values) => {
        tf.dispose(kept);
        return apply(values);
      },
      (error: unknown) => {
        tf.dispose(kept);
        throw error;
      },
    );
  }
  const values = kept.map((t) => t.dataSync() as Float32Array);
  tf.dispose(kept);
  return apply(values);
}

/** The optimizer's updates of the rows a batch touched, from [loss, magnitude, dU, dP, dN, dH?]. */
function applyPairwise(tables: PairwiseTables, batch: TrainBatch, optimizer: Optimizer, values: Float32Array[]): StepResult {
  const { users, items, weights } = tables;
  const dim = users.dim;
  const [lossValue, magnitudeValue, ...gradTensors] = values;
  const out = { loss: lossValue?.[0] ?? Number.NaN, magnitude: magnitudeValue?.[0] ?? Number.NaN, grads: gradTensors };

  const [gU, gP, gN, gH] = out.grads as [Float32Array, Float32Array, Float32Array, Float32Array | undefined];
  optimizer.beginStep();
  const userUpdate = users.accumulate(batch.userIdxs, gU);
  optimizer.applyRows(users, userUpdate.uniqueRows, userUpdate.summed);
  const negatives = negativeGradients(batch, gN, dim);
  const itemIdxs = new Int32Array(batch.posItemIdxs.length + negatives.itemIdxs.length);
  itemIdxs.set(batch.posItemIdxs);
  itemIdxs.set(negatives.itemIdxs, batch.posItemIdxs.length);
  const itemGrads = new Float32Array(gP.length + negatives.grads.length);
  itemGrads.set(gP);
  itemGrads.set(negatives.grads, gP.length);
  const itemUpdate = items.accumulate(itemIdxs, itemGrads);
  optimizer.applyRows(items, itemUpdate.uniqueRows, itemUpdate.summed);
  if (weights && gH) optimizer.applyDense(weights, gH);
  return { loss: out.loss, meanGradMagnitude: out.magnitude };
}

/** scores[b * perUser + c] = (user_b * h) . item_(b, c), in JS: a few million multiply-adds per batch. */
export function innerProductScores(
  users: ParamTable,
  items: ParamTable,
  userIdxs: Int32Array,
  itemIdxs: Int32Array,
  perUser: number,
  weights?: Float32Array,
): Float32Array {
  const dim = users.dim;
  const out = new Float32Array(itemIdxs.length);
  const u = users.data;
  const q = items.data;
  for (let b = 0; b < userIdxs.length; b += 1) {
    const ub = userIdxs[b]! * dim;
    for (let c = 0; c < perUser; c += 1) {
      const ib = itemIdxs[b * perUser + c]! * dim;
      let s = 0;
      if (weights) for (let d = 0; d < dim; d += 1) s += u[ub + d]! * weights[d]! * q[ib + d]!;
      else for (let d = 0; d < dim; d += 1) s += u[ub + d]! * q[ib + d]!;
      out[b * perUser + c] = s;
    }
  }
  return out;
}

/** [n * dim]: row s = users[userIdxs[s]] * items[itemIdxs[s]] elementwise (GMF's f_ui). */
export function elementwiseFeatures(users: Float32Array, items: Float32Array, dim: number, userIdxs: Int32Array, itemIdxs: Int32Array): Float32Array {
  const out = new Float32Array(userIdxs.length * dim);
  for (let s = 0; s < userIdxs.length; s += 1) {
    const ub = userIdxs[s]! * dim;
    const ib = itemIdxs[s]! * dim;
    for (let d = 0; d < dim; d += 1) out[s * dim + d] = users[ub + d]! * items[ib + d]!;
  }
  return out;
}
