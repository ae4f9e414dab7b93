/**
 * Flags shared by every command that talks to Neo4j. Flags override the
 * environment, which overrides the defaults (see src/graph/config.ts).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type Neo4jConfig, resolveNeo4jConfig } from '../graph/config.js';
import { KgnegError } from '../graph/errors.js';

// Prefixed: `--user` is a recommendation target, not a database login.
export const CONNECTION_FLAGS = {
  'neo4j-uri': { type: 'string' },
  'neo4j-user': { type: 'string' },
  'neo4j-password': { type: 'string' },
  'neo4j-database': { type: 'string' },
  'data-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const CONNECTION_USAGE =
  '  --neo4j-uri URI --neo4j-user NAME --neo4j-password PW --neo4j-database DB   (override NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)\n' +
  '  --data-dir DIR   where db:start keeps the local server (overrides NEO4J_DATA_DIR)';

export function neo4jConfigFrom(values: Record<string, unknown>): Neo4jConfig {
  const text = (key: string): string | undefined => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  return resolveNeo4jConfig(process.env, {
    uri: text('neo4j-uri'),
    user: text('neo4j-user'),
    password: text('neo4j-password'),
    database: text('neo4j-database'),
    dataDir: text('data-dir'),
  });
}

/** `--help` asked: the usage goes to stdout and the command exits 0 (see src/cli/index.ts). */
export class HelpRequested extends Error {
  constructor(readonly text: string) {
    super('help');
  }
}

/** parseArgs with errors turned into one-line usage messages; `--help` prints the usage. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  usage: string,
) {
  if ((argv.includes('--help') || argv.includes('-h')) && !('help' in options)) {
    throw new HelpRequested(`usage: npm run ${command} -- [flags]\n${usage}`);
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true });
  } catch (error) {
    throw new KgnegError(`${command}: ${(error as Error).message}`, { hint: `usage: npm run ${command} -- [flags]\n${usage}`, exitCode: 2 });
  }
}

export function intFlag(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new KgnegError(`--${name} expects an integer, got '${String(value)}'`, { exitCode: 2 });
  return parsed;
}
