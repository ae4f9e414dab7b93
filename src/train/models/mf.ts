/** MF: y_ui = p_u . q_i (the recommender of KGPolicy eq. 2 and of the DNS/SDNS baselines). */
import type { LossFn } from '../losses.js';
import type { Optimizer } from '../optim/adam.js';
import { ParamTable } from '../params.js';
import { Rng } from '../../base/rng.js';
import { elementwiseFeatures, innerProductScores, pairwiseStep } from './pairwise.js';
import type { FinalEmbeddings, Model, ModelInit, StepResult, TrainBatch } from './types.js';

export class MatrixFactorization implements Model {
  readonly name: string = 'mf';
  readonly dim: number;
  readonly updates = 'sparse' as const;
  readonly users: ParamTable;
  readonly items: ParamTable;
  readonly #l2: number;

  constructor(init: ModelInit) {
    const rng = new Rng(init.seed);
    this.dim = init.dim;
    this.users = ParamTable.xavier('users', init.users, init.dim, rng);
    this.items = ParamTable.xavier('items', init.items, init.dim, rng);
    this.#l2 = init.l2;
  }

  trainStep(batch: TrainBatch, loss: LossFn, optimizer: Optimizer): StepResult | Promise<StepResult> {
    return pairwiseStep({ users: this.users, items: this.items }, batch, loss, optimizer, this.#l2);
  }

  scoreCandidates(userIdxs: Int32Array, itemIdxs: Int32Array, perUser: number): Float32Array {
    return innerProductScores(this.users, this.items, userIdxs, itemIdxs, perUser);
  }

  pairFeatures(userIdxs: Int32Array, itemIdxs: Int32Array): Float32Array {
    return elementwiseFeatures(this.users.data, this.items.data, this.dim, userIdxs, itemIdxs);
  }

  scoreItemPairs(anchorItemIdxs: Int32Array, itemIdxs: Int32Array, perAnchor: number): Float32Array {
    return innerProductScores(this.items, this.items, anchorItemIdxs, itemIdxs, perAnchor);
  }

  finalEmbeddings(): FinalEmbeddings {
    return { dim: this.dim, users: this.users.data, items: this.items.data };
  }

  tables(): readonly ParamTable[] {
    return [this.users, this.items];
  }

  dispose(): void {}
}
