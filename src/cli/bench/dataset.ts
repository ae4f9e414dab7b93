/** A benchmark's dataset: ingested from ../shared/datasets when the database lacks it, read from Neo4j, split with seed 1. */
import path from 'node:path';
import { getDataset } from '../../graph/datasets/dataset-repository.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { loadTrainingData, type TrainingData } from '../../graph/training-data.js';
import { splitTrainingData, type SplitData } from '../../train/split-data.js';
import { migrate } from '../migrate/index.js';
import { DEMO_DATASET } from '../start/index.js';

export async function benchDataset(runner: QueryRunner, name: string): Promise<{ data: TrainingData; split: SplitData }> {
  if ((await getDataset(runner, name))?.status !== 'complete') await migrate(runner, { dataset: path.resolve(DEMO_DATASET, '..', name), name });
  const data = await loadTrainingData(runner, name);
  return { data, split: splitTrainingData(data, 1) };
}
