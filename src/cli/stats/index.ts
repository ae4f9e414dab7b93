/** `npm run stats [-- --name N]`: what Neo4j holds for each dataset. */
import { countDatasetGraph, listDatasets } from '../../graph/datasets/dataset-repository.js';
import type { QueryRunner } from '../../graph/query-runner.js';
import { withRunner } from '../connection.js';
import { printCounts } from '../migrate/index.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, neo4jConfigFrom, parseFlags } from '../options.js';

const FLAGS = { ...CONNECTION_FLAGS, name: { type: 'string' } } as const;

export async function statsCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('stats', argv, FLAGS, `  --name NAME   one dataset only\n${CONNECTION_USAGE}`);
  await withRunner(neo4jConfigFrom(values), (runner) => printStats(runner, values.name));
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
