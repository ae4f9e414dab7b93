/**
 * The sampler interface. A sampler turns a batch of (user, positive) pairs into
 * k negatives each. It may be static (uniform, popularity), read the model's
 * current scores through a Scorer (DNS), hold parameters and learn from the
 * recommender's feedback after each step (KGPolicy, RNS: REINFORCE), need data
 * refreshed from the graph each epoch (beginEpoch), or return mixtures of item
 * embeddings instead of single items (RecNS merging). Samplers never talk to
 * Neo4j themselves: what they need arrives as arrays.
 */
import type { Csr } from '../base/csr.js';
import type { RegionFilter } from './region.js';
import type { Rng } from '../base/rng.js';

/** The model's current scores, as a dynamic sampler sees them. */
export interface Scorer {
  /** scores[b * perUser + c] = y(userIdxs[b], itemIdxs[b * perUser + c]) */
  scoreCandidates(userIdxs: Int32Array, itemIdxs: Int32Array, perUser: number): Float32Array;
  /** scores[b * perAnchor + c] = item(anchorItemIdxs[b]) . item(itemIdxs[b * perAnchor + c]), on the final item vectors. */
  scoreItemPairs(anchorItemIdxs: Int32Array, itemIdxs: Int32Array, perAnchor: number): Float32Array;
  /** [n * dim]: row s = p_user(s) * q_item(s), the interaction feature f_ui of GMF (RNS's MMD term). */
  pairFeatures?(userIdxs: Int32Array, itemIdxs: Int32Array): Float32Array;
}

/** The recommender's parameters after pre-training, for samplers that start from them (RNS: S_0 = R_0). */
export interface PretrainedGmf {
  readonly dim: number;
  /** [users * dim] */
  readonly users: Float32Array;
  /** [items * dim] */
  readonly items: Float32Array;
  /** [dim] (MF: ones) */
  readonly h: Float32Array;
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
  /** Each user's exposed-but-not-interacted training items, for datasets with exposure records. */
  readonly exposures?: Csr;
  /** KGPolicy's walk graph: KG edges as node pairs (users, items, then entities) and the entity count. */
  readonly knowledgeGraph?: { readonly from: Int32Array; readonly to: Int32Array; readonly entities: number };
  /** Present when the registry entry asks for pre-training. */
  readonly pretrained?: PretrainedGmf;
}

/**
 * Negatives synthesised in embedding space (RecNS eq. 11): slot s is the sum
 * over c < components of weights[s * components + c] times the embedding of
 * item itemIdxs[s * components + c].
 */
export interface NegativeMixture {
  readonly components: number;
  /** [B * k * components] */
  readonly itemIdxs: Int32Array;
  /** [B * k * components] */
  readonly weights: Float32Array;
}

export interface NegativeSample {
  /** [B, k]: the negative items (with a mixture, each slot's main component: it counts for the false-negative rate) */
  readonly itemIdxs: Int32Array;
  /** When the sampler merges negatives in embedding space */
  readonly mixture?: NegativeMixture;
}

/** What the trainer tells a learning sampler after a recommender step. */
export interface StepFeedback {
  readonly userIdxs: Int32Array;
  readonly posItemIdxs: Int32Array;
  readonly negItemIdxs: Int32Array;
  readonly scorer: Scorer;
}

/** A node on an explained negative's path, as an index into the users, items or KG entities. */
export interface PathNode {
  readonly kind: 'user' | 'item' | 'entity';
  readonly idx: number;
}

/** Why a negative was drawn: the path the sampler took from the positive to it. */
export interface ExplainedNegative {
  readonly userIdx: number;
  readonly positiveIdx: number;
  readonly negativeIdx: number;
  readonly path: readonly PathNode[];
  /** Every hop is an edge of the graph (no random diversity node on the way). */
  readonly viaGraph: boolean;
}

export interface Sampler {
  readonly name: string;
  /**
   * Optional capability: explain one negative per user for the run's write-back
   * (KGPolicy's walks). The pipeline stores what it returns next to the run.
   */
  explainNegatives?(scorer: Scorer, rng: Rng): ExplainedNegative[];
  beginEpoch?(epoch: number): Promise<void> | void;
  sample(userIdxs: Int32Array, posItemIdxs: Int32Array, k: number, scorer: Scorer): NegativeSample;
  afterStep?(feedback: StepFeedback): void;
  /** Counters for the run record (e.g. how often a draw hit a positive and was redrawn). */
  stats?(): Record<string, number>;
  dispose?(): void;
}
