/**
 * `npm run forget -- --dataset NAME`: everything kgneg wrote for a dataset
 * goes. For a mapped graph that is the write-back only (the kgneg_...
 * properties on the user's nodes, KGNEG_RECOMMENDED relationships, the
 * vector indexes, the runs and the dataset record): the user's graph is left
 * exactly as it was. For an ingested dataset, also its nodes and relationships.
 */
import { deleteDataset, getDataset, type DatasetRecord } from './datasets/dataset-repository.js';
import { withWriterLock } from './dataset-lock.js';
import { resolveGraphMapping } from './mapping/graph-source.js';
import type { QueryRunner } from './query-runner.js';
import { storedGraphMapping } from './training-data.js';

export interface ForgetReport {
  readonly name: string;
  readonly kind: 'graph' | 'ingested';
  readonly runs: number;
  readonly seconds: number;
}

export async function forgetDataset(runner: QueryRunner, name: string, options: { readonly waitSeconds?: number } = {}): Promise<ForgetReport | undefined> {
  const dataset = await getDataset(runner, name);
  if (!dataset) return undefined;
  return withWriterLock(runner, name, { command: 'forget', ...(options.waitSeconds === undefined ? {} : { waitSeconds: options.waitSeconds }) }, () => forgetLocked(runner, name, dataset));
}

async function forgetLocked(runner: QueryRunner, name: string, dataset: DatasetRecord): Promise<ForgetReport> {
  const began = Date.now();
  const runs = await runner.read<{ runId: string; embeddingProperty: string | null; searchProperty: string | null; searchIndex: string | null }>('runs/list-runs', { dataset: name });
  const mapped = dataset.format === ('graph' as string);
  if (mapped) {
    await runner.autoCommit('mapped/delete-recommendations', { dataset: name });
    await runner.autoCommit('mapped/delete-explanations', { dataset: name });
    const graph = await resolveGraphMapping(runner, storedGraphMapping(dataset), `the mapping of dataset '${name}'`);
    const properties = new Set(runs.flatMap((r) => [r.embeddingProperty, r.searchProperty]).filter((p): p is string => typeof p === 'string' && p.startsWith('kgneg_')));
    for (const property of properties) {
      await runner.autoCommit('mapped/remove-property', {}, { label: graph.userLabel, property });
      await runner.autoCommit('mapped/remove-property', {}, { label: graph.itemLabel, property });
    }
  }
  for (const index of new Set(runs.map((r) => r.searchIndex).filter((i): i is string => typeof i === 'string'))) {
    await runner.autoCommit('runs/drop-index', {}, { index });
  }
  await runner.write('runs/delete-runs', { dataset: name });
  if (mapped) await runner.write('dataset/delete-dataset-record', { name });
  else await deleteDataset(runner, name);
  return { name, kind: mapped ? 'graph' : 'ingested', runs: runs.length, seconds: (Date.now() - began) / 1000 };
}
