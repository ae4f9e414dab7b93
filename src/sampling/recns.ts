/**
 * RecNS (Yang et al., TKDE; ../shared/papers/002): per (u, v),
 *
 * 1. positive-assisted sampling (eq. 7): M candidates C_u drawn uniformly from
 *    the user's region (the trainer's --region; intermediate in the paper), and
 *    k negatives P_k drawn with replacement from
 *    p(c) ∝ sigma(alpha_c e_u.e_c + (1 - alpha_c) e_v.e_c), alpha_c ~ U(0, 1)
 *    per candidate. The official code feeds these probabilities to
 *    tf.multinomial as if they were logits; we draw from the distribution itself.
 * 2. exposure-augmented sampling (eqs. 8-9), for users with exposures: M draws
 *    M_u from the user's exposed-but-not-interacted items, the self-amplified
 *    factor beta_m = |{m' in M_u : m' in C_u}| for an m in C_u and 1 otherwise,
 *    and v_e = argmax_m sigma(beta_m e_u.e_m).
 * 3. the merge in embedding space (eq. 11): negative i = (1/k) e_{v_e} +
 *    (1 - 1/k) e_{p_i}. The code's two-stage variant (codeMerge = 1) is
 *    (1 - 1/k) e_{p_i} + (1/k) ((1 - 1/k) e_{p_1} + (1/k) e_{v_e}).
 *
 * Merged negatives go to the model as mixtures, so the gradient reaches every
 * merged item. Users without exposures (or all users, on datasets without
 * exposure records, or with exposure = 0) get P_k unmerged: RecNS-O alone.
 * Ablation: positiveAssist = 0 takes the k highest-scoring distinct candidates by e_u.e_c
 * (the paper's "RecNS w/o p-a", the hardest negatives).
 */
import { rowOf } from '../base/csr.js';
import { CandidateDrawer } from './exclusion.js';
import type { NegativeSample, Sampler, SamplerContext, Scorer } from './types.js';

export interface RecnsOptions {
  /** M: candidates per (u, v), and exposed items drawn per (u, v). */
  readonly candidates: number;
  readonly positiveAssist: boolean;
  readonly exposure: boolean;
  readonly codeMerge: boolean;
}

export class RecnsSampler implements Sampler {
  readonly name = 'recns';
  readonly #ctx: SamplerContext;
  readonly #options: RecnsOptions;
  readonly #drawer: CandidateDrawer;
  readonly #counts = { pairs: 0, pairsWithExposure: 0, pairsWithoutExposure: 0, exposedPickInCandidates: 0, betaSum: 0 };

  constructor(ctx: SamplerContext, options: RecnsOptions) {
    if (!Number.isInteger(options.candidates) || options.candidates < 1) throw new Error(`recns: candidates must be a positive integer, got ${options.candidates}`);
    this.#ctx = ctx;
    this.#options = options;
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng, ctx.region);
  }

  /** Whether negatives are merged with exposed items (false: RecNS-O alone). */
  get usesExposure(): boolean {
    return this.#options.exposure && this.#ctx.exposures !== undefined && this.#ctx.exposures.indices.length > 0;
  }

  sample(userIdxs: Int32Array, posItemIdxs: Int32Array, k: number, scorer: Scorer): NegativeSample {
    const { numItems, rng } = this.#ctx;
    const m = this.#options.candidates;
    const size = userIdxs.length;
    const candidates = new Int32Array(size * m);
    const uniform = () => rng.nextInt(numItems);
    for (let b = 0; b < size; b += 1) for (let c = 0; c < m; c += 1) candidates[b * m + c] = this.#drawer.draw(userIdxs[b]!, uniform);
    const userScores = scorer.scoreCandidates(userIdxs, candidates, m);
    const picked = new Int32Array(size * k);
    if (this.#options.positiveAssist) {
      const itemScores = scorer.scoreItemPairs(posItemIdxs, candidates, m);
      const weights = new Float64Array(m);
      for (let b = 0; b < size; b += 1) {
        let total = 0;
        for (let c = 0; c < m; c += 1) {
          const alpha = rng.nextFloat();
          const w = sigmoid(alpha * userScores[b * m + c]! + (1 - alpha) * itemScores[b * m + c]!);
          weights[c] = w;
          total += w;
        }
        for (let s = 0; s < k; s += 1) picked[b * k + s] = candidates[b * m + drawIndex(weights, total, rng.nextFloat())]!;
      }
    } else {
      for (let b = 0; b < size; b += 1) {
        // The k best distinct candidates (candidates are drawn with replacement), cycling if fewer.
        const order = Array.from({ length: m }, (_, c) => c).sort((x, y) => userScores[b * m + y]! - userScores[b * m + x]! || x - y);
        const distinct: number[] = [];
        for (const c of order) if (!distinct.includes(candidates[b * m + c]!)) distinct.push(candidates[b * m + c]!);
        for (let s = 0; s < k; s += 1) picked[b * k + s] = distinct[s % distinct.length]!;
      }
    }
    this.#counts.pairs += size;
    if (!this.usesExposure) return { itemIdxs: picked };
    return { itemIdxs: picked, mixture: this.#merge(userIdxs, candidates, picked, k, scorer) };
  }

  #merge(userIdxs: Int32Array, candidates: Int32Array, picked: Int32Array, k: number, scorer: Scorer) {
    const exposures = this.#ctx.exposures!;
    const { rng } = this.#ctx;
    const m = this.#options.candidates;
    const size = userIdxs.length;
    const exposed = new Int32Array(size * m);
    const has = new Uint8Array(size);
    for (let b = 0; b < size; b += 1) {
      const row = rowOf(exposures, userIdxs[b]!);
      if (row.length === 0) continue;
      has[b] = 1;
      for (let c = 0; c < m; c += 1) exposed[b * m + c] = row[rng.nextInt(row.length)]!;
    }
    const exposedScores = scorer.scoreCandidates(userIdxs, exposed, m);
    const components = this.#options.codeMerge ? 3 : 2;
    const itemIdxs = new Int32Array(size * k * components);
    const weights = new Float32Array(size * k * components);
    for (let b = 0; b < size; b += 1) {
      if (!has[b]) {
        this.#counts.pairsWithoutExposure += 1;
        for (let s = 0; s < k; s += 1) {
          const slot = (b * k + s) * components;
          itemIdxs.fill(picked[b * k + s]!, slot, slot + components);
          weights[slot] = 1;
        }
        continue;
      }
      this.#counts.pairsWithExposure += 1;
      const inCandidates = (item: number) => {
        for (let c = 0; c < m; c += 1) if (candidates[b * m + c] === item) return true;
        return false;
      };
      let overlap = 0;
      for (let c = 0; c < m; c += 1) if (inCandidates(exposed[b * m + c]!)) overlap += 1;
      let best = 0;
      let bestValue = -Infinity;
      for (let c = 0; c < m; c += 1) {
        const beta = inCandidates(exposed[b * m + c]!) ? overlap : 1;
        const value = sigmoid(beta * exposedScores[b * m + c]!);
        if (value > bestValue) {
          bestValue = value;
          best = c;
        }
      }
      const ve = exposed[b * m + best]!;
      if (inCandidates(ve)) {
        this.#counts.exposedPickInCandidates += 1;
        this.#counts.betaSum += overlap;
      } else {
        this.#counts.betaSum += 1;
      }
      for (let s = 0; s < k; s += 1) {
        const slot = (b * k + s) * components;
        if (components === 2) {
          itemIdxs[slot] = ve;
          weights[slot] = 1 / k;
          itemIdxs[slot + 1] = picked[b * k + s]!;
          weights[slot + 1] = 1 - 1 / k;
        } else {
          itemIdxs[slot] = picked[b * k + s]!;
          weights[slot] = 1 - 1 / k;
          itemIdxs[slot + 1] = picked[b * k]!;
          weights[slot + 1] = (1 / k) * (1 - 1 / k);
          itemIdxs[slot + 2] = ve;
          weights[slot + 2] = 1 / (k * k);
        }
      }
    }
    return { components, itemIdxs, weights };
  }

  stats(): Record<string, number> {
    const c = this.#counts;
    return {
      ...this.#drawer.counters,
      pairs: c.pairs,
      pairsWithExposure: c.pairsWithExposure,
      pairsWithoutExposure: c.pairsWithoutExposure,
      exposedPickInCandidates: c.exposedPickInCandidates,
      meanBeta: c.pairsWithExposure > 0 ? c.betaSum / c.pairsWithExposure : 0,
      usesExposure: this.usesExposure ? 1 : 0,
    };
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The index whose cumulative weight first exceeds u * total. */
function drawIndex(weights: Float64Array, total: number, u: number): number {
  let target = u * total;
  for (let c = 0; c < weights.length; c += 1) {
    target -= weights[c]!;
    if (target < 0) return c;
  }
  return weights.length - 1;
}
