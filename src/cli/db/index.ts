/** `npm run db:start` / `npm run db:stop`: the local Neo4j for machines without Docker. */
import { pinnedNeo4jVersion } from '../../graph/local-neo4j/build.js';
import { startLocalNeo4j, stopLocalNeo4j } from '../../graph/local-neo4j/server.js';
import { CONNECTION_FLAGS, CONNECTION_USAGE, neo4jConfigFrom, parseFlags } from '../options.js';

const FLAGS = { ...CONNECTION_FLAGS, heap: { type: 'string' } } as const;
const USAGE = `${CONNECTION_USAGE}\n  --heap SIZE   JVM heap of the local Neo4j (default NEO4J_HEAP or 2g)`;

export async function dbStart(argv: string[]): Promise<number> {
  const { values } = parseFlags('db:start', argv, FLAGS, USAGE);
  const config = neo4jConfigFrom(values);
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
  const { values } = parseFlags('db:stop', argv, CONNECTION_FLAGS, CONNECTION_USAGE);
  const config = neo4jConfigFrom(values);
  const result = await stopLocalNeo4j(config.dataDir);
  process.stdout.write(
    result.stopped
      ? `kgneg: stopped the local Neo4j (pid ${result.pid}) in ${result.seconds.toFixed(1)}s; its data stays in ${config.dataDir}\n`
      : `kgneg: no local Neo4j is running for ${config.dataDir}\n`,
  );
  return 0;
}
