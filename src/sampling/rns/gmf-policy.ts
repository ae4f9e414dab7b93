/**
 * RNS's sampler S: a GMF scorer s_uj = h . (p_u * q_j) (eq. 9's scores), a
 * softmax over each user's candidate pool, and the REINFORCE update of eq. 8.
 * The gradient is written out by hand (softmax over a pool of N_s items:
 * d log psi(j) / d s_c = 1[c = j] - psi_c), so the whole step is a few
 * multiply-adds per (pair, candidate, dimension) on plain arrays, followed by
 * Adam on the touched rows (as the recommender's lazy Adam) and on h.
 */
import type { PretrainedGmf } from '../types.js';

export type PolicyInit = PretrainedGmf;

export interface PolicyConfig {
  readonly learningRate: number;
  /** L2 on the rows of a step (as the code's reg_loss_em on user and sampled item). */
  readonly l2: number;
  readonly temperature: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export class GmfPolicy {
  readonly dim: number;
  readonly users: Float32Array;
  readonly items: Float32Array;
  readonly h: Float32Array;
  readonly #config: PolicyConfig;
  readonly #moments = new Map<Float32Array, { m: Float32Array; v: Float32Array; g: Float32Array; stamp: Int32Array; touched: Int32Array }>();
  #step = 0;

  constructor(init: PolicyInit, config: PolicyConfig) {
    this.dim = init.dim;
    // Copies: S starts from the pre-trained recommender's parameters but learns apart from it.
    this.users = init.users.slice();
    this.items = init.items.slice();
    this.h = init.h.slice();
    this.#config = config;
  }

  /** probs[b * n + c] = softmax_c(s(user_b, pool[b * n + c]) / temperature) */
  poolProbabilities(userIdxs: Int32Array, pool: Int32Array, n: number): Float32Array {
    const { dim, users, items, h } = this;
    const out = new Float32Array(pool.length);
    const t = this.#config.temperature;
    for (let b = 0; b < userIdxs.length; b += 1) {
      const ub = userIdxs[b]! * dim;
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < n; c += 1) {
        const ib = pool[b * n + c]! * dim;
        let s = 0;
        for (let d = 0; d < dim; d += 1) s += h[d]! * users[ub + d]! * items[ib + d]!;
        s /= t;
        out[b * n + c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < n; c += 1) sum += (out[b * n + c] = Math.exp(out[b * n + c]! - max));
      for (let c = 0; c < n; c += 1) out[b * n + c]! /= sum;
    }
    return out;
  }

  /**
   * One REINFORCE step maximising sum_s reward_s log psi(chosen_s): sample s
   * belongs to pair b = floor(s / k) and picked pool slot chosen[s].
   */
  reinforce(userIdxs: Int32Array, pool: Int32Array, n: number, probs: Float32Array, chosen: Int32Array, k: number, rewards: Float32Array): void {
    const { dim, users, items, h } = this;
    const t = this.#config.temperature;
    const l2 = this.#config.l2;
    const gUsers = new Float32Array(userIdxs.length * dim);
    const gItems = new Float32Array(pool.length * dim);
    const gH = new Float32Array(dim);
    const gLogit = new Float32Array(n);
    for (let b = 0; b < userIdxs.length; b += 1) {
      gLogit.fill(0);
      let any = false;
      for (let c = 0; c < k; c += 1) {
        const s = b * k + c;
        const w = rewards[s]!;
        if (w === 0) continue;
        any = true;
        // Loss = -w log psi(j): d/ds_c = -w (1[c = j] - psi_c) / t
        for (let q = 0; q < n; q += 1) gLogit[q]! += (w * probs[b * n + q]!) / t;
        gLogit[chosen[s]!]! -= w / t;
      }
      if (!any) continue;
      const ub = userIdxs[b]! * dim;
      for (let q = 0; q < n; q += 1) {
        const g = gLogit[q]!;
        if (g === 0) continue;
        const ib = pool[b * n + q]! * dim;
        const gi = (b * n + q) * dim;
        for (let d = 0; d < dim; d += 1) {
          const p = users[ub + d]!;
          const it = items[ib + d]!;
          gUsers[b * dim + d]! += g * h[d]! * it;
          gItems[gi + d]! += g * h[d]! * p;
          gH[d]! += g * p * it;
        }
      }
    }
    // L2 as the code's reg_loss_em: on the step's users and on the sampled items, not on the rest of the pool.
    for (let s = 0; s < chosen.length; s += 1) {
      const slot = Math.floor(s / k) * n + chosen[s]!;
      const ib = pool[slot]! * dim;
      for (let d = 0; d < dim; d += 1) gItems[slot * dim + d]! += l2 * items[ib + d]!;
    }
    for (let b = 0; b < userIdxs.length; b += 1) {
      const ub = userIdxs[b]! * dim;
      for (let d = 0; d < dim; d += 1) gUsers[b * dim + d]! += l2 * users[ub + d]!;
    }
    this.#step += 1;
    this.#applyRows(users, userIdxs, gUsers);
    this.#applyRows(items, pool, gItems);
    this.#applyRows(h, new Int32Array(1), gH);
  }

  /** Adam on the given rows; repeated rows have their gradients summed first (dense scratch, stamped per step). */
  #applyRows(table: Float32Array, rowIdxs: Int32Array, grads: Float32Array): void {
    const dim = this.dim;
    let state = this.#moments.get(table);
    if (!state) {
      const rows = table.length / dim;
      state = { m: new Float32Array(table.length), v: new Float32Array(table.length), g: new Float32Array(table.length), stamp: new Int32Array(rows), touched: new Int32Array(rows) };
      this.#moments.set(table, state);
    }
    const { m, v, g, stamp, touched } = state;
    let count = 0;
    for (let r = 0; r < rowIdxs.length; r += 1) {
      const row = rowIdxs[r]!;
      if (stamp[row] !== this.#step) {
        stamp[row] = this.#step;
        touched[count++] = row;
        g.fill(0, row * dim, (row + 1) * dim);
      }
      for (let d = 0; d < dim; d += 1) g[row * dim + d]! += grads[r * dim + d]!;
    }
    const lrT = (this.#config.learningRate * Math.sqrt(1 - BETA2 ** this.#step)) / (1 - BETA1 ** this.#step);
    for (let t = 0; t < count; t += 1) {
      const base = touched[t]! * dim;
      for (let d = 0; d < dim; d += 1) {
        const x = base + d;
        const gx = g[x]!;
        m[x] = BETA1 * m[x]! + (1 - BETA1) * gx;
        v[x] = BETA2 * v[x]! + (1 - BETA2) * gx * gx;
        table[x] = table[x]! - (lrT * m[x]!) / (Math.sqrt(v[x]!) + EPSILON);
      }
    }
  }
}
