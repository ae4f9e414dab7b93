/** A benchmark's dataset: ingested from ../shared/datasets when the database lacks it, read from Neo4j, split with seed 1. */
import path from 'node:path';
import { getDataset, requireCompleteDataset, type DatasetRecord } from '../../graph/datasets/dataset-repository.js';
import { QueryRunner } from '../../graph/query-runner.js';
import { loadTrainingData, type TrainingData } from '../../graph/training-data.js';
import { selectBackend, type BackendChoice } from '../../train/backend.js';
import { splitTrainingData, type SplitData } from '../../train/split-data.js';
import { migrate } from '../migrate/index.js';
import { neo4jConfigFrom } from '../options.js';
import { connectOrStartLocal, DEMO_DATASET } from '../start/index.js';

/** The dataset's record, ingested first from ../shared/datasets/<name> when the database lacks it. */
export async function ensureBenchDataset(runner: QueryRunner, name: string): Promise<DatasetRecord> {
  if ((await getDataset(runner, name))?.status !== 'complete') await migrate(runner, { dataset: path.resolve(DEMO_DATASET, '..', name), name });
  return requireCompleteDataset(runner, name);
}

export async function benchDataset(runner: QueryRunner, name: string): Promise<{ data: TrainingData; split: SplitData }> {
  await ensureBenchDataset(runner, name);
  const data = await loadTrainingData(runner, name);
  return { data, split: splitTrainingData(data, 1) };
}

export interface BenchSession {
  readonly runner: QueryRunner;
  readonly backend: BackendChoice;
  readonly data: TrainingData;
  readonly split: SplitData;
  readonly log: (line: string) => void;
}

/** Connects (or starts the local Neo4j), picks the backend, loads the dataset, runs the bench, closes. */
export async function withBenchDataset(values: Record<string, unknown>, name: string, bench: (session: BenchSession) => Promise<void>): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const connection = await connectOrStartLocal(neo4jConfigFrom(values));
  try {
    const runner = new QueryRunner(connection);
    const backend = await selectBackend('auto', log);
    const { data, split } = await benchDataset(runner, name);
    await bench({ runner, backend, data, split, log });
  } finally {
    await connection.close();
  }
  return 0;
}
