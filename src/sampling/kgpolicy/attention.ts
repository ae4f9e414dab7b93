/**
 * KGPolicy's neighbour attention (eqs. 12-15) on plain arrays, with its
 * gradient written by hand. For pair p at node e with candidates c:
 *   z_c = h_e * h_c,  logit_c = h_u . LeakyReLU(z_c) + mask_c,  P = softmax(logit)
 * and for a loss L = -w log P(chosen):
 *   dL/dlogit_c = -w (1[c = chosen] - P_c)
 *   dL/dh_u += sum_c g_c LeakyReLU(z_c)
 *   dL/dz_c = g_c h_u * LeakyReLU'(z_c);  dL/dh_e += dL/dz_c * h_c;  dL/dh_c += dL/dz_c * h_e
 * (finite-difference tested). Working on values keeps tfjs for the graph
 * module only, where the work is.
 */
const LEAKY_SLOPE = 0.2;

export interface AttentionRows {
  /** [B] user nodes, current nodes; [B * width] candidate nodes; [B * width] additive mask (0 or -1e9). */
  readonly users: Int32Array;
  readonly at: Int32Array;
  readonly candidates: Int32Array;
  readonly width: number;
  readonly mask: Float32Array;
}

/** [B * width] log-probabilities. */
export function attentionLogProbs(h: Float32Array, dim: number, rows: AttentionRows): Float32Array {
  const { users, at, candidates, width, mask } = rows;
  const out = new Float32Array(candidates.length);
  for (let p = 0; p < users.length; p += 1) {
    const u = users[p]! * dim;
    const e = at[p]! * dim;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < width; c += 1) {
      const k = candidates[p * width + c]! * dim;
      let logit = 0;
      for (let d = 0; d < dim; d += 1) {
        const z = h[e + d]! * h[k + d]!;
        logit += h[u + d]! * (z > 0 ? z : LEAKY_SLOPE * z);
      }
      logit += mask[p * width + c]!;
      out[p * width + c] = logit;
      if (logit > max) max = logit;
    }
    let sum = 0;
    for (let c = 0; c < width; c += 1) sum += Math.exp(out[p * width + c]! - max);
    const log = max + Math.log(sum);
    for (let c = 0; c < width; c += 1) out[p * width + c]! -= log;
  }
  return out;
}

/** Adds dL/dH of L = -sum_p weights[p] log P(chosen[p]) into grad ([nodes * dim]). */
export function accumulateAttentionGradient(
  h: Float32Array,
  dim: number,
  rows: AttentionRows,
  logProbs: Float32Array,
  chosen: Int32Array,
  weights: Float32Array,
  grad: Float32Array,
): void {
  const { users, at, candidates, width } = rows;
  for (let p = 0; p < users.length; p += 1) {
    const w = weights[p]!;
    if (w === 0) continue;
    const u = users[p]! * dim;
    const e = at[p]! * dim;
    for (let c = 0; c < width; c += 1) {
      const prob = Math.exp(logProbs[p * width + c]!);
      const g = -w * ((c === chosen[p] ? 1 : 0) - prob);
      if (g === 0) continue;
      const k = candidates[p * width + c]! * dim;
      for (let d = 0; d < dim; d += 1) {
        const he = h[e + d]!;
        const hc = h[k + d]!;
        const z = he * hc;
        const active = z > 0 ? 1 : LEAKY_SLOPE;
        grad[u + d]! += g * active * z;
        const dz = g * h[u + d]! * active;
        grad[e + d]! += dz * hc;
        grad[k + d]! += dz * he;
      }
    }
  }
}
