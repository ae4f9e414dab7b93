/**
 * RNS (Ding et al., IJCAI'19): a learned sampler S proposes, for each (u, i),
 * a negative from a candidate pool by softmax over its GMF scores (eq. 9);
 * the recommender R trains by BPR on it (eq. 1); S is rewarded by
 *   w = w1 + alpha (1 - beta) w2 + alpha beta w3            (eq. 7)
 * with w1 = -sigma(-r_uj) from R (adversarial, eq. 2), w2 = 1[j exposed to u]
 * (eq. 3) and w3 the MMD feature-matching term on R's features
 * f_uj = p_u * q_j (eqs. 4-6, mmd.ts), and updated by REINFORCE (eq. 8).
 *
 * Variants through options: RNS-AS (alpha 0), RNS-ES (adversarial 0: the
 * reward is (1 - beta) w2 + beta w3, the code's NoDNSLoss), the pool rule
 * (candidate-pool.ts), and the code's baseline (subtract last epoch's mean
 * reward per sample; off = the paper's eq. 8).
 *
 * Rewards are computed in sample(), before R's step, and S steps in
 * afterStep(): both gradients come from the same parameters, as Algorithm 1
 * (lines 7 and 13-15) updates R and S together.
 * Users without training exposures get no w2 / w3 term and are left out of
 * the MMD sets (the code draws a random item for them instead); counted.
 */
import { csrHas, rowOf, type Csr } from '../../base/csr.js';
import { CandidateDrawer } from '../exclusion.js';
import type { NegativeSample, Sampler, SamplerContext, Scorer } from '../types.js';
import { drawPools, type PoolRule } from './candidate-pool.js';
import { GmfPolicy, type PolicyInit } from './gmf-policy.js';
import { bandwidthsAround, mmdRewards, type MmdConfig } from './mmd.js';

export interface RnsOptions {
  /** N_s */
  readonly candidates: number;
  readonly poolRule: PoolRule;
  readonly adversarial: boolean;
  readonly alpha: number;
  readonly beta: number;
  /** Centre of five fixed Gaussian bandwidths (the code: 21, i.e. 19..23 on Zhihu); 0: scale-free bandwidths (mmd.ts). */
  readonly sigma: number;
  /** Rows per MMD block (0: the whole batch, as the code). */
  readonly mmdBlock: number;
  readonly baseline: boolean;
  readonly learningRate: number;
  readonly l2: number;
  readonly temperature: number;
}

interface Pending {
  readonly userIdxs: Int32Array;
  readonly pool: Int32Array;
  readonly probs: Float32Array;
  readonly chosen: Int32Array;
  readonly rewards: Float32Array;
  readonly k: number;
}

export class RnsSampler implements Sampler {
  readonly name: string;
  readonly #ctx: SamplerContext;
  readonly #options: RnsOptions;
  readonly #exposures: Csr;
  readonly #policy: GmfPolicy;
  readonly #drawer: CandidateDrawer;
  readonly #mmd: MmdConfig;
  #pending: Pending | undefined;
  #baseline = 0;
  #epochRewardSum = 0;
  #epochSamples = 0;
  readonly #counters = {
    samples: 0,
    exposedPicks: 0,
    samplesWithoutExposures: 0,
    adversarialRewardSum: 0,
    mmdRewardSum: 0,
    mmdSamples: 0,
    squaredDistanceSum: 0,
    mmdBatches: 0,
  };

  constructor(ctx: SamplerContext, options: RnsOptions, name = 'rns') {
    this.name = name;
    if (!ctx.pretrained) throw new Error('rns needs a pre-trained GMF to start S from (the trainer pre-trains one, registry: pretrain)');
    this.#ctx = ctx;
    this.#options = options;
    this.#exposures = ctx.exposures ?? { rows: ctx.train.rows, cols: ctx.numItems, indptr: new Int32Array(ctx.train.rows + 1), indices: new Int32Array(0) };
    this.#policy = new GmfPolicy(ctx.pretrained, { learningRate: options.learningRate, l2: options.l2, temperature: options.temperature });
    this.#drawer = new CandidateDrawer(ctx.train, ctx.rng, ctx.region);
    this.#mmd = { block: options.mmdBlock, ...(options.sigma > 0 ? { sigmas: bandwidthsAround(options.sigma) } : {}) };
  }

  beginEpoch(): void {
    // The code's baseline: the previous epoch's mean reward per sample.
    if (this.#epochSamples > 0) this.#baseline = this.#epochRewardSum / this.#epochSamples;
    this.#epochRewardSum = 0;
    this.#epochSamples = 0;
  }

  sample(userIdxs: Int32Array, _pos: Int32Array, k: number, scorer: Scorer): NegativeSample {
    const { rng } = this.#ctx;
    const o = this.#options;
    const n = o.candidates;
    const pool = drawPools(userIdxs, { rule: o.poolRule, size: n, numItems: this.#ctx.numItems, exposures: this.#exposures, drawer: this.#drawer, rng });
    const probs = this.#policy.poolProbabilities(userIdxs, pool, n);
    const chosen = new Int32Array(userIdxs.length * k);
    const negatives = new Int32Array(userIdxs.length * k);
    for (let b = 0; b < userIdxs.length; b += 1) {
      for (let c = 0; c < k; c += 1) {
        let x = rng.nextFloat();
        let q = 0;
        while (q < n - 1 && x >= probs[b * n + q]!) x -= probs[b * n + q++]!;
        chosen[b * k + c] = q;
        negatives[b * k + c] = pool[b * n + q]!;
      }
    }
    const rewards = this.#rewards(userIdxs, negatives, k, scorer);
    this.#pending = { userIdxs, pool, probs, chosen, rewards, k };
    return { itemIdxs: negatives };
  }

  afterStep(): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = undefined;
    this.#policy.reinforce(p.userIdxs, p.pool, this.#options.candidates, p.probs, p.chosen, p.k, p.rewards);
  }

  /** Reward per sample (minus the baseline when on). */
  #rewards(userIdxs: Int32Array, negatives: Int32Array, k: number, scorer: Scorer): Float32Array {
    const o = this.#options;
    const count = negatives.length;
    const rewards = new Float32Array(count);
    const exposed = new Uint8Array(count);
    const sampleUsers = new Int32Array(count);
    for (let s = 0; s < count; s += 1) {
      const u = userIdxs[Math.floor(s / k)]!;
      sampleUsers[s] = u;
      exposed[s] = this.#exposures.indptr[u + 1]! > this.#exposures.indptr[u]! ? 1 : 0;
    }
    const c = this.#counters;
    c.samples += count;
    if (o.adversarial) {
      const scores = scorer.scoreCandidates(userIdxs, negatives, k);
      for (let s = 0; s < count; s += 1) {
        const w1 = -1 / (1 + Math.exp(scores[s]!)); // -sigma(-r_uj)
        rewards[s] = w1;
        c.adversarialRewardSum += w1;
      }
    }
    // Exposure part: weight on w2 and w3 (RNS-ES drops alpha: its reward is the exposure part alone).
    const weight = o.adversarial ? o.alpha : 1;
    if (weight !== 0) {
      const rows: number[] = [];
      for (let s = 0; s < count; s += 1) {
        if (exposed[s] === 0) {
          c.samplesWithoutExposures += 1;
          continue;
        }
        rows.push(s);
        if (csrHas(this.#exposures, sampleUsers[s]!, negatives[s]!)) {
          rewards[s]! += weight * (1 - o.beta);
          c.exposedPicks += 1;
        }
      }
      if (o.beta > 0 && rows.length > 0) {
        if (!scorer.pairFeatures) throw new Error('rns with beta > 0 needs a model that exposes its interaction features (mf, gmf)');
        const users = new Int32Array(rows.length);
        const generated = new Int32Array(rows.length);
        const real = new Int32Array(rows.length);
        rows.forEach((s, r) => {
          users[r] = sampleUsers[s]!;
          generated[r] = negatives[s]!;
          const items = rowOf(this.#exposures, users[r]!);
          real[r] = items[this.#ctx.rng.nextInt(items.length)]!;
        });
        const g = scorer.pairFeatures(users, generated);
        const e = scorer.pairFeatures(users, real);
        const m = mmdRewards(g, e, g.length / rows.length, this.#mmd);
        rows.forEach((s, r) => {
          rewards[s]! += weight * o.beta * m.rewards[r]!;
          c.mmdRewardSum += m.rewards[r]!;
        });
        c.squaredDistanceSum += m.meanSquaredDistance;
        c.mmdBatches += 1;
        c.mmdSamples += rows.length;
      }
    }
    for (let s = 0; s < count; s += 1) this.#epochRewardSum += rewards[s]!;
    this.#epochSamples += count;
    if (o.baseline && this.#baseline !== 0) for (let s = 0; s < count; s += 1) rewards[s]! -= this.#baseline;
    return rewards;
  }

  stats(): Record<string, number> {
    const c = this.#counters;
    return {
      samples: c.samples,
      exposedPicks: c.exposedPicks,
      exposedPickRate: c.samples === 0 ? 0 : c.exposedPicks / c.samples,
      samplesWithoutExposures: c.samplesWithoutExposures,
      meanAdversarialReward: c.samples === 0 ? 0 : c.adversarialRewardSum / c.samples,
      meanMmdReward: c.mmdSamples === 0 ? 0 : c.mmdRewardSum / c.mmdSamples,
      meanFeatureSquaredDistance: c.mmdBatches === 0 ? 0 : c.squaredDistanceSum / c.mmdBatches,
      ...this.#drawer.counters,
    };
  }
}

export type { PolicyInit };
