/**
 * The sampler interface. A sampler turns a batch of (user, positive) pairs into
 * k negatives each. It may be static (uniform, popularity), read the model's
 * current scores through a Scorer (DNS), hold parameters and learn from the
 * recommender's feedback after each step (KGPolicy, RNS: REINFORCE), need data
 * refreshed from the graph each epoch (beginEpoch), or return negative vectors
 * instead of rows of the item table (RecNS mixing). Samplers never talk to
 * Neo4j themselves: what they need arrives as arrays.
 */
import type { Csr } from './csr.js';
import type { RegionFilter } from './region.js';
import type { Rng } from './rng.js';

/** The model's current scores, as a dynamic sampler sees them. */
export interface Scorer {
  /** scores[b * perUser + c] = y(userIdxs[b], itemIdxs[b * perUser + c]) */
  scoreCandidates(userIdxs: Int32Array, itemIdxs: Int32Array, perUser: number): Float32Array;
}

export interface SamplerContext {
  /** Each user's training items, which no sampler may return as a negative. */
  readonly train: Csr;
  readonly numItems: number;
  /** Training interactions per item. */
  readonly itemCounts: Int32Array;
  readonly rng: Rng;
  /** Restricts candidates to a region of the Three-Region Principle (absent: global). */
  readonly region?: RegionFilter;
}

export interface NegativeSample {
  /** [B, k] */
  readonly itemIdxs: Int32Array;
  /** [B, k, dim], when the sampler synthesises negatives in embedding space */
  readonly vectors?: Float32Array;
}

/** What the trainer tells a learning sampler after a recommender step. */
export interface StepFeedback {
  readonly userIdxs: Int32Array;
  readonly posItemIdxs: Int32Array;
  readonly negItemIdxs: Int32Array;
  readonly scorer: Scorer;
}

export interface Sampler {
  readonly name: string;
  beginEpoch?(epoch: number): Promise<void> | void;
  sample(userIdxs: Int32Array, posItemIdxs: Int32Array, k: number, scorer: Scorer): NegativeSample;
  afterStep?(feedback: StepFeedback): void;
  /** Counters for the run record (e.g. how often a draw hit a positive and was redrawn). */
  stats?(): Record<string, number>;
  dispose?(): void;
}
