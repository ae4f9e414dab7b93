/**
 * GMF: y_ui = h . (p_u * q_i) (NCF's generalized MF; the recommender and the
 * sampler of RNS). h is one dense row updated every step; the user and item
 * tables are sparse. Written back as users p_u * h and items q_i, whose plain
 * inner product is the score.
 */
import type { LossFn } from '../losses.js';
import type { Optimizer } from '../optim/adam.js';
import { ParamTable } from '../params.js';
import { Rng } from '../../base/rng.js';
import { elementwiseFeatures, innerProductScores, pairwiseStep } from './pairwise.js';
import type { FinalEmbeddings, Model, ModelInit, StepResult, TrainBatch } from './types.js';

export class GeneralizedMf implements Model {
  readonly name = 'gmf';
  readonly dim: number;
  readonly updates = 'sparse' as const;
  readonly users: ParamTable;
  readonly items: ParamTable;
  readonly h: ParamTable;
  readonly #l2: number;

  constructor(init: ModelInit) {
    const rng = new Rng(init.seed);
    this.dim = init.dim;
    this.users = ParamTable.xavier('users', init.users, init.dim, rng);
    this.items = ParamTable.xavier('items', init.items, init.dim, rng);
    // h starts at ones so that GMF starts as MF (NCF initialises it randomly; ones trains faster here).
    this.h = new ParamTable('h', 1, init.dim, new Float32Array(init.dim).fill(1));
    this.#l2 = init.l2;
  }

  trainStep(batch: TrainBatch, loss: LossFn, optimizer: Optimizer): StepResult | Promise<StepResult> {
    return pairwiseStep({ users: this.users, items: this.items, weights: this.h }, batch, loss, optimizer, this.#l2);
  }

  scoreCandidates(userIdxs: Int32Array, itemIdxs: Int32Array, perUser: number): Float32Array {
    return innerProductScores(this.users, this.items, userIdxs, itemIdxs, perUser, this.h.data);
  }

  pairFeatures(userIdxs: Int32Array, itemIdxs: Int32Array): Float32Array {
    return elementwiseFeatures(this.users.data, this.items.data, this.dim, userIdxs, itemIdxs);
  }

  scoreItemPairs(anchorItemIdxs: Int32Array, itemIdxs: Int32Array, perAnchor: number): Float32Array {
    return innerProductScores(this.items, this.items, anchorItemIdxs, itemIdxs, perAnchor);
  }

  finalEmbeddings(): FinalEmbeddings {
    const users = new Float32Array(this.users.data.length);
    const h = this.h.data;
    for (let k = 0; k < users.length; k += 1) users[k] = this.users.data[k]! * h[k % this.dim]!;
    return { dim: this.dim, users, items: this.items.data };
  }

  tables(): readonly ParamTable[] {
    return [this.users, this.items, this.h];
  }

  dispose(): void {}
}
