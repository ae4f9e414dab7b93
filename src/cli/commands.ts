/** One entry per npm-script command. */
import { BENCH_NAMES, benchCommand } from './bench/index.js';
import { dbStart, dbStop } from './db/index.js';
import { docsOptionsCommand } from './docs/options-page.js';
import { exampleCommand } from './example/index.js';
import { explainCommand } from './explain/index.js';
import { foldInCommand } from './fold-in/index.js';
import { forgetCommand } from './forget/index.js';
import { migrateCommand } from './migrate/index.js';
import { recommendCommand } from './recommend/index.js';
import { setupTensorflowCommand } from './setup/tensorflow.js';
import { splitCommand } from './split/index.js';
import { startCommand } from './start/index.js';
import { statsCommand } from './stats/index.js';
import { trainCommand } from './train/index.js';

export interface Command {
  readonly summary: string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  start: { summary: 'the main job: Neo4j, migrations, ingestion, training, write-back, a user\'s recommendations', run: startCommand },
  'db:start': { summary: 'start the local Neo4j (Java + Maven, no Docker)', run: dbStart },
  'db:stop': { summary: 'stop the local Neo4j; its data stays', run: dbStop },
  migrate: { summary: 'apply migrations; --dataset DIR ingests a dataset', run: migrateCommand },
  split: { summary: 're-split a loaded dataset with another seed', run: splitCommand },
  stats: { summary: 'node and relationship counts per dataset', run: statsCommand },
  train: { summary: 'train a model from a dataset in Neo4j and write it back', run: trainCommand },
  recommend: { summary: 'a user\'s top-K from the current run, with its Cypher', run: recommendCommand },
  explain: { summary: 'a user\'s KGPolicy negatives from the current run: paths and the entities behind them', run: explainCommand },
  'fold-in': { summary: 'fit users who arrived after the served run against its item vectors; --write joins them to it', run: foldInCommand },
  forget: { summary: 'remove everything kgneg wrote for a dataset (a mapped graph: only the write-back)', run: forgetCommand },
  example: { summary: 'build the movie example graph (its own labels) from ml-100k, then train on it in place', run: exampleCommand },
  'docs:options': { summary: 'write docs/options.md from the option declarations', run: docsOptionsCommand },
  'setup:tensorflow': { summary: 'build the native TensorFlow backend from the PyPI tensorflow-cpu wheel (linux x64)', run: setupTensorflowCommand },
  bench: { summary: `benchmarks with JSON output: ${BENCH_NAMES.join(', ')}`, run: benchCommand },
});
