/**
 * Stage 5, evaluate: the kept model ranks every item for each test user once
 * (train and validation items excluded), plus the impression protocols where
 * the dataset has held-out impressions.
 */
import { evaluateFullRanking } from '../../../eval/full-ranking.js';
import { evaluateImpressions } from '../../../eval/impression-ranking.js';
import type { Model } from '../../../train/models/types.js';
import type { TrainOptions } from '../options.js';
import type { RunData } from './load-data.js';

export interface TestResult {
  readonly metrics: Record<string, number>;
  readonly users: number;
  readonly seconds: number;
}

export async function evaluateTest(run: RunData, model: Model, options: TrainOptions): Promise<TestResult> {
  const { split, held } = run;
  const ranking = await evaluateFullRanking({ embeddings: model.finalEmbeddings(), exclude: [split.train, split.valid], truth: split.test, ks: options.ks });
  const impressions = held ? evaluateImpressions(model.finalEmbeddings(), held.test, held.testLists) : undefined;
  return {
    metrics: { ...ranking.metrics, ...(impressions?.metrics ?? {}) },
    users: ranking.users,
    seconds: ranking.seconds + (impressions?.seconds ?? 0),
  };
}
