/**
 * `npm run stats [-- --dataset NAME]`: what Neo4j holds for each dataset and,
 * where a run is served, what arrived since it was trained.
 */
import { countDatasetGraph, listDatasets, type DatasetRecord } from '../../graph/datasets/dataset-repository.js';
import { countMappedDataset } from '../../graph/mapping/register.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { changesSinceServedRun, type ChangesSinceRun } from '../../graph/run-changes.js';
import { withRunner } from '../connection.js';
import { printCounts } from '../migrate/index.js';
import { option } from '../../base/options.js';
import { defineCommand, optional } from '../command-options.js';

/** Every option of `npm run stats`, declared once. */
export const STATS_OPTIONS = {
  dataset: optional(option.string('one dataset only', undefined, { meta: 'NAME' }), 'every dataset'),
} as const;

export const STATS_COMMAND = defineCommand({ name: 'stats', options: STATS_OPTIONS });

export async function statsCommand(argv: string[]): Promise<number> {
  const { values, neo4j } = STATS_COMMAND.parse(argv);
  await withRunner(neo4j, (runner) => printStats(runner, values.dataset));
  return 0;
}

async function printStats(runner: QueryRunner, name?: string): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const datasets = (await listDatasets(runner)).filter((d) => name === undefined || d.name === name);
  if (datasets.length === 0) print(name === undefined ? 'no datasets in Neo4j yet' : `no dataset named '${name}'`);
  for (const dataset of datasets) {
    print(`dataset '${dataset.name}': ${dataset.format}, ${dataset.status}, split ${dataset.splitRule} seed ${dataset.splitSeed}, from ${dataset.sourceDir}`);
    const counts = await countsOf(runner, dataset);
    printCounts(counts, print);
    const changes = dataset.status === 'complete' ? await changesSinceServedRun(runner, dataset.name) : undefined;
    if (changes) printChanges(dataset.name, changes, counts.interactions, print);
  }
}

function countsOf(runner: QueryRunner, dataset: DatasetRecord) {
  // A mapped graph is counted through its mapping, as it is now: it is not copied into kgneg's layout.
  return dataset.format === ('graph' as string) ? countMappedDataset(runner, dataset) : countDatasetGraph(runner, dataset.name);
}

export function printChanges(dataset: string, changes: ChangesSinceRun, interactionsNow: number, print: (line: string) => void): void {
  const read = changes.interactionsRead === undefined ? '' : `, interactions ${interactionsNow} now against ${changes.interactionsRead} the run read (${signed(interactionsNow - changes.interactionsRead)})`;
  print(`  since the served run ${changes.runId} (data read ${changes.startedAt}):`);
  print(`    new users ${changes.newUsers}, new items ${changes.newItems} (with interactions, no vector in the run)${read}`);
  print(
    changes.timed
      ? `    interactions that arrived after the run read its data: ${changes.newerInteractions}, from ${changes.usersWithNewer} users`
      : '    the mapped interactions carry no time: newer ones are not told apart',
  );
  if (changes.newUsers > 0 || changes.usersWithNewer > 0) print(`    npm run fold-in -- --dataset ${dataset} --write fits them into the served run; npm run train -- --dataset ${dataset} --warm-start retrains from it`);
}

function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}
