/** `npm run db:start` / `npm run db:stop`: the local Neo4j for machines without Docker. */
import { pinnedNeo4jVersion } from '../../graph/local-neo4j/build.js';
import { startLocalNeo4j, stopLocalNeo4j } from '../../graph/local-neo4j/server.js';
import { option } from '../../base/options.js';
import { defineCommand, optional } from '../command-options.js';

/** Every option of `npm run db:start` (and of db:stop: only the connection flags), declared once. */
export const DB_START_OPTIONS = {
  heap: optional(option.string('JVM heap of the local Neo4j (512m, 2g, ...)', undefined, { meta: 'SIZE' }), 'NEO4J_HEAP, else 2g'),
} as const;
export const DB_STOP_OPTIONS = {} as const;

export const DB_START_COMMAND = defineCommand({ name: 'db:start', options: DB_START_OPTIONS });
export const DB_STOP_COMMAND = defineCommand({ name: 'db:stop', options: DB_STOP_OPTIONS });

export async function dbStart(argv: string[]): Promise<number> {
  const { values, neo4j: config } = DB_START_COMMAND.parse(argv);
  const result = await startLocalNeo4j(config, {
    heap: values.heap,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const what = result.alreadyRunning ? 'already running' : `started in ${result.seconds.toFixed(1)}s`;
  process.stdout.write(
    `kgneg: Neo4j ${pinnedNeo4jVersion()} community ${what}: ${result.uri} (pid ${result.pid}, data ${result.dataDir}, log ${result.logFile})\n`,
  );
  return 0;
}

export async function dbStop(argv: string[]): Promise<number> {
  const { neo4j: config } = DB_STOP_COMMAND.parse(argv);
  const result = await stopLocalNeo4j(config.dataDir);
  process.stdout.write(
    result.stopped
      ? `kgneg: stopped the local Neo4j (pid ${result.pid}) in ${result.seconds.toFixed(1)}s; its data stays in ${config.dataDir}\n`
      : `kgneg: no local Neo4j is running for ${config.dataDir}\n`,
  );
  return 0;
}
