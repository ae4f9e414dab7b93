/**
 * Pairwise losses over a batch's scores: pos [B] for (u, i), neg [B, k] for the
 * k negatives of each (u, i). Each returns the batch mean.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { tf } from './backend.js';

/** Every loss by name, with the options it reads (see --help); samplers prescribe one by name. */
export const LOSSES = {
  bpr: { doc: '-ln sigma(y_ui - y_uj) (BPR)', options: [] },
  'soft-bpr': { doc: '-ln sigma(f (y_ui - y_uj)), f the soft factor (SDNS eq. 10)', options: ['softFactor'] },
  hinge: { doc: 'RecNS eq. 5 over k negatives, with a margin', options: ['margin'] },
  'hinge-code': { doc: 'the RecNS code\'s hinge loss, with a margin', options: ['margin'] },
} as const satisfies Record<string, { doc: string; options: readonly ('softFactor' | 'margin')[] }>;

export type LossName = keyof typeof LOSSES;
export const LOSS_NAMES = Object.keys(LOSSES) as [LossName, ...LossName[]];

/** The SDNS default (see the sdns entry of src/sampling/registry.ts for how it was chosen). */
export const DEFAULT_SOFT_FACTOR = 0.05;

export interface LossConfig {
  readonly name: LossName;
  /** soft-bpr: the soft factor (1 - alpha) of SDNS eq. 10. */
  readonly softFactor?: number;
  /** hinge, hinge-code: the margin gamma of RecNS eq. 5 (the paper's 0.1). */
  readonly margin?: number;
}

export type LossFn = (pos: tfc.Tensor1D, neg: tfc.Tensor2D) => tfc.Scalar;

export function makeLoss(config: LossConfig): LossFn {
  switch (config.name) {
    case 'bpr':
      // -ln sigma(y_ui - y_uj), averaged over the k negatives and the batch.
      return (pos, neg) => tf.neg(tf.mean(logSigmoid(tf.sub(tf.expandDims(pos, 1), neg))));
    case 'soft-bpr': {
      // SDNS eq. 10: ln sigma((1 - alpha)(y_ui - y_uj)); the paper keeps 1 - alpha below 0.3.
      const factor = config.softFactor ?? DEFAULT_SOFT_FACTOR;
      return (pos, neg) => tf.neg(tf.mean(logSigmoid(tf.mul(factor, tf.sub(tf.expandDims(pos, 1), neg)))));
    }
    case 'hinge': {
      // RecNS eq. 5: (1/k) [sigma(sum_i y_u,vn_i) - sigma(k y_uv) + gamma]_+, per (u, v).
      const margin = config.margin ?? 0.1;
      return (pos, neg) => {
        const k = neg.shape[1];
        const inner = tf.add(tf.sub(tf.sigmoid(tf.sum(neg, 1)), tf.sigmoid(tf.mul(k, pos))), margin);
        return tf.div(tf.mean(tf.relu(inner)), k);
      };
    }
    case 'hinge-code': {
      // The RecNS code's loss instead of eq. 5: mean over the k negatives of [sigma(y_uj) - sigma(y_ui) + gamma]_+.
      const margin = config.margin ?? 0.1;
      return (pos, neg) => tf.mean(tf.relu(tf.add(tf.sub(tf.sigmoid(neg), tf.sigmoid(tf.expandDims(pos, 1))), margin)));
    }
  }
}



/**
 * ln sigma(x) = -softplus(-x). tf.logSigmoid is a customGrad op whose saved
 * input is disposed when it sits inside a larger tf.grads graph (it throws
 * "Cannot read properties of undefined (reading 'backend')" on tfjs 4.22).
 */
function logSigmoid(x: tfc.Tensor): tfc.Tensor {
  return tf.neg(tf.softplus(tf.neg(x)));
}
