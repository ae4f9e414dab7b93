/**
 * The (:Dataset) records and per-dataset graph counts. A dataset is usable by
 * later steps only when its status is 'complete'; ingestion sets that last.
 */
import { KgnegError } from '../errors.js';
import type { QueryRunner } from '../query-runner.js';
import { NODE_LABELS, RELATIONSHIP_TYPES } from '../cypher.js';
import { intParam } from '../values.js';
import type { DatasetFormat, SplitRule } from './records.js';

export type DatasetStatus = 'loading' | 'complete';

export interface DatasetRecord {
  readonly name: string;
  readonly status: DatasetStatus;
  readonly format: DatasetFormat;
  /** The dataset directory; for format 'csv', the mapping file. */
  readonly sourceDir: string;
  readonly checksum: string;
  /** The checksum of the files that shape the graph (all but ParsedDataset.itemAttributeFiles); absent on datasets ingested before it was kept. */
  readonly graphChecksum?: string;
  readonly splitRule: SplitRule;
  readonly splitSeed: number;
  readonly completedPhases: readonly string[];
  readonly relationless: boolean;
  /** JSON: [{relationId, name}] as declared by the files. */
  readonly relationsJson: string;
  /** JSON: lines folded into earlier records, by kind. */
  readonly duplicatesJson: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
}

export interface DatasetCounts {
  readonly users: number;
  readonly items: number;
  readonly entities: number;
  readonly interactions: number;
  readonly trainInteractions: number;
  readonly validInteractions: number;
  readonly testInteractions: number;
  readonly exposures: number;
  readonly exposureOccurrences: number;
  readonly triples: number;
  readonly relations: number;
}

export async function getDataset(runner: QueryRunner, name: string): Promise<DatasetRecord | undefined> {
  const rows = await runner.read<{ dataset: DatasetRecord }>('dataset/get-dataset', { name });
  return rows[0]?.dataset;
}

export async function listDatasets(runner: QueryRunner): Promise<DatasetRecord[]> {
  return (await runner.read<{ dataset: DatasetRecord }>('dataset/list-datasets')).map((row) => row.dataset);
}

/** The dataset's record, refusing one that is missing or not completely ingested. */
export async function requireCompleteDataset(runner: QueryRunner, name: string): Promise<DatasetRecord> {
  const dataset = await getDataset(runner, name);
  if (!dataset) {
    throw new KgnegError(`no dataset named '${name}' in Neo4j`, {
      hint: 'ingest it with `npm run migrate -- --dataset <dir> --name <name>`',
    });
  }
  if (dataset.status !== 'complete') {
    // A CSV dataset's sourceDir is its mapping file.
    const from = dataset.format === 'csv' ? `--mapping ${dataset.sourceDir}` : `--dataset ${dataset.sourceDir}`;
    throw new KgnegError(`dataset '${name}' was not completely ingested (status ${dataset.status})`, {
      hint: `run \`npm run migrate -- ${from} --name ${name}\` again to finish it`,
    });
  }
  return dataset;
}

export async function countDatasetGraph(runner: QueryRunner, name: string): Promise<DatasetCounts> {
  const [counts] = await runner.read<DatasetCounts>('dataset/count-graph', { dataset: name });
  if (!counts) throw new Error('count-graph returned no row');
  return counts;
}

export async function beginDataset(runner: QueryRunner, name: string, props: Record<string, unknown>): Promise<void> {
  await runner.write('dataset/begin-dataset', { name, props });
}

export async function markPhaseDone(runner: QueryRunner, name: string, phase: string): Promise<void> {
  await runner.write('dataset/mark-phase-done', { name, phase });
}

export async function completeDataset(runner: QueryRunner, name: string, counts: DatasetCounts): Promise<void> {
  const stats = Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, intParam(value)]));
  await runner.write('dataset/complete-dataset', { name, stats });
}

export async function setSplitSeed(runner: QueryRunner, name: string, seed: number): Promise<void> {
  await runner.write('dataset/set-split-seed', { name, seed: intParam(seed) });
}

/** Deletes everything of a dataset, relationships first, in small transactions. */
export async function deleteDataset(runner: QueryRunner, name: string): Promise<void> {
  for (const type of RELATIONSHIP_TYPES) {
    await runner.autoCommit('dataset/delete-relationships', { dataset: name }, { type });
  }
  for (const label of NODE_LABELS.filter((l) => l === 'User' || l === 'Item' || l === 'Entity')) {
    await runner.autoCommit('dataset/delete-nodes', { dataset: name }, { label });
  }
  await runner.write('dataset/delete-dataset-record', { name });
}
