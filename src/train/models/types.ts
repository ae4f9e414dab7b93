/**
 * The model interface the trainer, the samplers (through Scorer), evaluation
 * and write-back use. Every kgneg model scores a (user, item) pair as an inner
 * product of a final user vector and a final item vector (MF: p_u . q_i; GMF:
 * (p_u * h) . q_i; LightGCN: the propagated embeddings), which is what lets
 * full-ranking evaluation be one matrix product and Cypher rank with the
 * written-back vectors.
 */
import type { Rng } from '../../base/rng.js';
import type { NegativeMixture, Scorer } from '../../sampling/types.js';
import type { LossFn } from '../losses.js';
import type { Optimizer } from '../optim/adam.js';
import type { ParamTable } from '../params.js';

export interface TrainBatch {
  /** [B] */
  readonly userIdxs: Int32Array;
  /** [B] */
  readonly posItemIdxs: Int32Array;
  /** [B, k], row-major */
  readonly negItemIdxs: Int32Array;
  readonly k: number;
  /** Negatives synthesised in embedding space (RecNS eq. 11) instead of the rows of negItemIdxs. */
  readonly negMixture?: NegativeMixture;
}

export interface StepResult {
  readonly loss: number;
  /** Mean of 1 - sigma(y_ui - y_uj) over the batch's pairs: the gradient magnitude of KGPolicy eq. 4. */
  readonly meanGradMagnitude: number;
}


/** What a model that trains a whole epoch itself (non-sampling, e.g. JNSKR) reports. */
export interface EpochStats {
  readonly loss: number;
  /** Training interactions the epoch covered. */
  readonly pairs: number;
}

export interface FinalEmbeddings {
  readonly dim: number;
  /** [users, dim] */
  readonly users: Float32Array;
  /** [items, dim] */
  readonly items: Float32Array;
}

export type UpdateKind = 'sparse' | 'dense';

export interface Model extends Scorer {
  readonly name: string;
  readonly dim: number;
  readonly updates: UpdateKind;
  /** A promise only where results are read back asynchronously (webgpu, see readsAsync in backend.ts). */
  trainStep(batch: TrainBatch, loss: LossFn, optimizer: Optimizer): StepResult | Promise<StepResult>;
  /**
   * Non-sampling models train an epoch themselves (batches of items over the
   * whole data); the trainer then uses no sampler and calls this instead of
   * trainStep.
   */
  trainEpoch?(optimizer: Optimizer, rng: Rng): EpochStats;
  /** Vectors whose inner product is the model's score. */
  finalEmbeddings(): FinalEmbeddings;
  /** The learnable tables, by name (tests compare them across backends). */
  tables(): readonly ParamTable[];
  /**
   * Called when the tables were written from outside (the trainer restoring the
   * best validated epoch): models that cache derived vectors (LightGCN's
   * propagated table, JNSKR's q_v) must drop them.
   */
  tablesChanged?(): void;
  dispose(): void;
}

export interface ModelInit {
  readonly users: number;
  readonly items: number;
  readonly dim: number;
  /** L2 coefficient on the rows a batch touches. */
  readonly l2: number;
  readonly seed: number;
}
