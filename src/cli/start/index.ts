/**
 * `npm start`: the main job end to end: a Neo4j (the configured one, or a
 * local one started here when the URI is a local address and nothing answers),
 * the migrations, a dataset ingested if it is not yet (lastfm-kgcn from
 * ../shared/datasets unless --dataset is given), its graph statistics, a
 * training run (MF + DNS, early stopping on validation), the write-back, and
 * one user's recommendations read back with the Cypher that returns them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../../graph/connection.js';
import { DatabaseUnavailableError, KgnegError } from '../../graph/errors.js';
import { startLocalNeo4j } from '../../graph/local-neo4j/server.js';
import { QueryRunner } from '../../graph/query-runner.js';
import type { Neo4jConfig } from '../../graph/config.js';
import { migrate } from '../migrate/index.js';
import { option } from '../../base/options.js';
import { defineCommand, optional } from '../command-options.js';
import { printRecommendations } from '../recommend/index.js';
import { TRAIN_OPTIONS, trainOptionsFrom } from '../train/options.js';
import { runTraining } from '../train/run.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEMO_DATASET = path.resolve(REPO_ROOT, '../shared/datasets/lastfm-kgcn');

/** Every option of `npm start`, declared once; model, sampler, seed and max-epochs are train's, with start's defaults. */
export const START_OPTIONS = {
  dataset: option.string('the dataset directory (KGAT, KGCN, RecBole or MIND files), ingested if it is not yet', DEMO_DATASET, { meta: 'DIR' }),
  name: optional(option.string('the name it is ingested under', undefined, { meta: 'NAME' }), "the directory's basename"),
  model: { ...TRAIN_OPTIONS.model, default: 'mf' },
  sampler: { ...TRAIN_OPTIONS.sampler, default: 'dns' },
  seed: TRAIN_OPTIONS.seed,
  maxEpochs: { ...TRAIN_OPTIONS.maxEpochs, default: 300 },
} as const;

export const START_COMMAND = defineCommand({ name: 'start', invocation: 'npm start', options: START_OPTIONS });

export async function startCommand(argv: string[]): Promise<number> {
  const { values, neo4j: config } = START_COMMAND.parse(argv);
  const dataset = path.resolve(values.dataset);
  if (!existsSync(dataset)) {
    throw new KgnegError(`dataset directory ${dataset} does not exist`, {
      hint: 'pass --dataset DIR (KGAT, KGCN, RecBole or MIND files), or put ../shared/datasets beside the repository',
    });
  }
  const connection = await connectOrStartLocal(config);
  try {
    const runner = new QueryRunner(connection);
    const report = await migrate(runner, { dataset, concise: true, ...(values.name === undefined ? {} : { name: values.name }) });
    const name = report?.name ?? path.basename(dataset);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    const options = trainOptionsFrom({
      dataset: name,
      model: values.model,
      sampler: values.sampler,
      seed: values.seed,
      maxEpochs: values.maxEpochs,
      out: `runs/${name.replace(/[^A-Za-z0-9._-]+/g, '_')}-start`,
    });
    await runTraining(runner, options);
    const [firstUser] = await runner.read<{ id: unknown }>('train/first-user-id', { dataset: name });
    await printRecommendations(runner, name, String(firstUser?.id), 10, false, { liked: 3, cypher: 'file' });
    print('next:');
    print(`  npm run recommend -- --dataset ${name} --user ID        another user's list (--vector: through the vector index)`);
    print('  npm run train -- --help                                  models, samplers and every option');
    print('  npm run migrate -- --dataset DIR --name NAME             your own data (KGAT, KGCN, RecBole or MIND files)');
    print(`  Neo4j keeps running at ${config.uri} (user ${config.user}, password in .env or NEO4J_PASSWORD); npm run db:stop stops it`);
  } finally {
    await connection.close();
  }
  return 0;
}

export async function connectOrStartLocal(config: Neo4jConfig) {
  try {
    return await connect(config);
  } catch (error) {
    const local = /^(bolt|neo4j):\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(config.uri);
    const unreachable = error instanceof DatabaseUnavailableError && error.message.startsWith('cannot reach');
    if (!local || !unreachable) throw error;
    process.stdout.write(`kgneg: nothing answers at ${config.uri}; starting a local Neo4j in ${config.dataDir}\n`);
    const started = await startLocalNeo4j(config, { log: (line) => process.stdout.write(`${line}\n`) });
    process.stdout.write(`kgneg: local Neo4j up in ${started.seconds.toFixed(1)}s (pid ${started.pid}, log ${started.logFile})\n`);
    return connect(config);
  }
}
