/**
 * `npm start`: the main job end to end. Until the trainer exists that is:
 * a Neo4j (the configured one, or a local one started here when the URI is a
 * local address and nothing answers), the migrations, a dataset ingested
 * (lastfm-kgcn from ../shared/datasets unless --dataset is given), and its
 * graph statistics.
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
import { CONNECTION_FLAGS, CONNECTION_USAGE, neo4jConfigFrom, parseFlags } from '../options.js';
import { printStats } from '../stats/index.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEMO_DATASET = path.resolve(REPO_ROOT, '../shared/datasets/lastfm-kgcn');

const FLAGS = { ...CONNECTION_FLAGS, dataset: { type: 'string' }, name: { type: 'string' } } as const;

export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags('start', argv, FLAGS, `  --dataset DIR (default ${DEMO_DATASET})  --name NAME\n${CONNECTION_USAGE}`);
  const config = neo4jConfigFrom(values);
  const dataset = path.resolve(values.dataset ?? DEMO_DATASET);
  if (!existsSync(dataset)) {
    throw new KgnegError(`dataset directory ${dataset} does not exist`, {
      hint: 'pass --dataset DIR (KGAT, KGCN, RecBole or MIND files), or put ../shared/datasets beside the repository',
    });
  }
  const connection = await connectOrStartLocal(config);
  try {
    const runner = new QueryRunner(connection);
    const report = await migrate(runner, { dataset, ...(values.name === undefined ? {} : { name: values.name }) });
    process.stdout.write('\n');
    await printStats(runner, report?.name);
    process.stdout.write(
      `\nNeo4j keeps running at ${config.uri} (user ${config.user}); query it with Cypher, stop it with \`npm run db:stop\`.\n`,
    );
  } finally {
    await connection.close();
  }
  return 0;
}

async function connectOrStartLocal(config: Neo4jConfig) {
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
