/**
 * JNSKR's whole-data losses (../shared/papers/001, eqs. 5 and 9), for a batch
 * of items. The weighted squared loss over every (user, item) of the batch,
 *   sum_u sum_v w_uv (y_uv - yhat_uv)^2, w = c+ where y = 1 and c_v^- elsewhere,
 * equals (up to sum over observed of c+, which no parameter changes)
 *   sum_(u,v) observed ((c+ - c_v^-) yhat^2 - 2 c+ yhat)
 *   + sum_ij (h_i h_j) (sum_u p_ui p_uj) (sum_v c_v^- q_vi q_vj),
 * so the unobserved pairs cost d x d products instead of users x items
 * scores. The DistMult KG term is rearranged the same way over every
 * (head in batch, relation, tail). test/train/models/jnskr-loss.test.ts checks
 * both against the naive sums.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { backendCapabilities, tf } from '../backend.js';

export interface CfLossInputs {
  /** [U, d]: every user */
  readonly users: tfc.Tensor2D;
  /** [B, d]: q_v of the batch's items */
  readonly items: tfc.Tensor2D;
  /** [d]: the prediction vector h */
  readonly h: tfc.Tensor1D;
  /** [B]: c_v^-, the weight of item v's unobserved entries */
  readonly negWeight: tfc.Tensor1D;
  /** [n, d]: p_u of the batch's observed (u, v) */
  readonly posUsers: tfc.Tensor2D;
  /** [n, d]: q_v of the same pairs */
  readonly posItems: tfc.Tensor2D;
  /** [n]: c_v^- of the pair's item */
  readonly posNegWeight: tfc.Tensor1D;
  /** c+, the weight of observed entries (the official code: 1) */
  readonly posWeight: number;
}

export function nonSamplingCfLoss(x: CfLossInputs): tfc.Scalar {
  return tf.tidy(() => {
    const hh = tf.outerProduct(x.h, x.h);
    const pp = gram(x.users);
    const qcq = tf.matMul(tf.transpose(tf.mul(x.items, tf.expandDims(x.negWeight, 1))), x.items);
    const all = tf.sum(tf.mul(tf.mul(hh, pp), qcq));
    const yhat = tf.sum(tf.mul(tf.mul(x.posUsers, x.posItems), x.h), 1);
    const pos = tf.sum(tf.sub(tf.mul(tf.sub(x.posWeight, x.posNegWeight), tf.square(yhat)), tf.mul(2 * x.posWeight, yhat)));
    return tf.add(all, pos) as tfc.Scalar;
  });
}

export interface KgLossInputs {
  /** [B, d]: the heads (the batch's items) */
  readonly heads: tfc.Tensor2D;
  /** [B]: the unobserved weight of each head's triples */
  readonly headNegWeight: tfc.Tensor1D;
  /** [E, d]: every entity (tail) */
  readonly tails: tfc.Tensor2D;
  /** [R, d]: every relation (inverse relations included) */
  readonly relations: tfc.Tensor2D;
  /** [n, d] each: head, relation and tail of the batch's observed triples */
  readonly posHeads: tfc.Tensor2D;
  readonly posRelations: tfc.Tensor2D;
  readonly posTails: tfc.Tensor2D;
  /** [n]: the unobserved weight of the triple's head */
  readonly posNegWeight: tfc.Tensor1D;
  readonly posWeight: number;
}

export function nonSamplingKgLoss(x: KgLossInputs): tfc.Scalar {
  return tf.tidy(() => {
    const rr = gram(x.relations);
    const hwh = tf.matMul(tf.transpose(tf.mul(x.heads, tf.expandDims(x.headNegWeight, 1))), x.heads);
    const tt = gram(x.tails);
    const all = tf.sum(tf.mul(tf.mul(rr, hwh), tt));
    const ghat = tf.sum(tf.mul(tf.mul(x.posHeads, x.posRelations), x.posTails), 1);
    const pos = tf.sum(tf.sub(tf.mul(tf.sub(x.posWeight, x.posNegWeight), tf.square(ghat)), tf.mul(2 * x.posWeight, ghat)));
    return tf.add(all, pos) as tfc.Scalar;
  });
}

/**
 * X^T X with its gradient written out: d/dX sum(G * X^T X) = X (G + G^T), one
 * product over the table instead of the two (and two transposes) autodiff
 * makes. X is every user or every entity, so this is most of a JNSKR batch.
 * The forward transpose is explicit: tfjs-wasm's matMul with transposeA is
 * many times slower than a transpose followed by a plain product (tfjs-node's
 * is faster with the flag).
 */
export function gram(x: tfc.Tensor2D): tfc.Tensor2D {
  return gramWithGrad(x) as tfc.Tensor2D;
}

const gramWithGrad = tf.customGrad((...args: unknown[]) => {
  const x = args[0] as tfc.Tensor2D;
  const save = args[1] as (tensors: tfc.Tensor[]) => void;
  save([x]);
  const value = backendCapabilities().matMulTransposeA ? tf.matMul(x, x, true, false) : tf.matMul(tf.transpose(x), x);
  return { value, gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => tf.matMul(saved[0] as tfc.Tensor2D, tf.add(dy, tf.transpose(dy)) as tfc.Tensor2D) };
});

/** c_v^- = c0 f_v^p / sum_j f_j^p over item popularity f (the ENMF/JNSKR weighting); items never seen get 0. */
export function popularityWeights(counts: ArrayLike<number>, c0: number, p: number): Float32Array {
  let total = 0;
  for (let i = 0; i < counts.length; i += 1) total += counts[i]! ** p;
  return Float32Array.from({ length: counts.length }, (_, i) => (total > 0 ? (c0 * counts[i]! ** p) / total : 0));
}
