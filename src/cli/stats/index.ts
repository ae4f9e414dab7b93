/** `npm run stats [-- --name N]`: what Neo4j holds for each dataset. */
import { countDatasetGraph, listDatasets } from '../../graph/datasets/dataset-repository.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { withRunner } from '../connection.js';
import { printCounts } from '../migrate/index.js';
import { option } from '../../base/options.js';
import { defineCommand, optional } from '../command-options.js';

/** Every option of `npm run stats`, declared once. */
export const STATS_OPTIONS = {
  name: optional(option.string('one dataset only', undefined, { meta: 'NAME' }), 'every dataset'),
} as const;

export const STATS_COMMAND = defineCommand({ name: 'stats', options: STATS_OPTIONS });

export async function statsCommand(argv: string[]): Promise<number> {
  const { values, neo4j } = STATS_COMMAND.parse(argv);
  await withRunner(neo4j, (runner) => printStats(runner, values.name));
  return 0;
}

async function printStats(runner: QueryRunner, name?: string): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const datasets = (await listDatasets(runner)).filter((d) => name === undefined || d.name === name);
  if (datasets.length === 0) print(name === undefined ? 'no datasets in Neo4j yet' : `no dataset named '${name}'`);
  for (const dataset of datasets) {
    print(`dataset '${dataset.name}': ${dataset.format}, ${dataset.status}, split ${dataset.splitRule} seed ${dataset.splitSeed}, from ${dataset.sourceDir}`);
    printCounts(await countDatasetGraph(runner, dataset.name), print);
  }
}
