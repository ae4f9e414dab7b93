/**
 * A batch's negatives as rows of an item table: plain rows of negItemIdxs, or
 * mixtures synthesised in embedding space (RecNS eq. 11), whose gradient goes
 * back to every component row in proportion to its weight, as it would through
 * the encoder in the paper's code.
 */
import type { TrainBatch } from './types.js';

/** [B * k, dim]: the negative vectors, read from `table` whose item rows start at row `offset`. */
export function negativeRows(table: Float32Array, offset: number, batch: TrainBatch, dim: number): Float32Array {
  const mixture = batch.negMixture;
  const slots = batch.negItemIdxs.length;
  const out = new Float32Array(slots * dim);
  if (!mixture) {
    for (let s = 0; s < slots; s += 1) {
      const from = (offset + batch.negItemIdxs[s]!) * dim;
      out.set(table.subarray(from, from + dim), s * dim);
    }
    return out;
  }
  const c = mixture.components;
  for (let s = 0; s < slots; s += 1) {
    for (let m = 0; m < c; m += 1) {
      const w = mixture.weights[s * c + m]!;
      const from = (offset + mixture.itemIdxs[s * c + m]!) * dim;
      for (let d = 0; d < dim; d += 1) out[s * dim + d]! += w * table[from + d]!;
    }
  }
  return out;
}

/** The item rows a negative gradient [B * k, dim] lands on, and the gradient of each. */
export function negativeGradients(batch: TrainBatch, gradNeg: Float32Array, dim: number): { itemIdxs: Int32Array; grads: Float32Array } {
  const mixture = batch.negMixture;
  if (!mixture) return { itemIdxs: batch.negItemIdxs, grads: gradNeg };
  const c = mixture.components;
  const grads = new Float32Array(mixture.itemIdxs.length * dim);
  for (let k = 0; k < mixture.itemIdxs.length; k += 1) {
    const w = mixture.weights[k]!;
    const slot = Math.floor(k / c);
    for (let d = 0; d < dim; d += 1) grads[k * dim + d] = w * gradNeg[slot * dim + d]!;
  }
  return { itemIdxs: mixture.itemIdxs, grads };
}
