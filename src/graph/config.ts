/**
 * Connection settings, from (lowest to highest precedence) built-in defaults,
 * the environment (a `.env` file is loaded by the CLI entry point), and flags.
 * The defaults equal `.env.example`, so a fresh clone works without a `.env`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KgnegError } from './errors.js';

export interface Neo4jConfig {
  readonly uri: string;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Where `npm run db:start` keeps the local server's store, logs and pid. */
  readonly dataDir: string;
}

const DEFAULT_NEO4J_CONFIG: Neo4jConfig = Object.freeze({
  uri: 'bolt://127.0.0.1:7687',
  user: 'neo4j',
  password: 'kgneg-dev-password',
  database: 'neo4j',
  dataDir: '.kgneg/neo4j',
});

export type Neo4jConfigOverrides = Partial<Record<keyof Neo4jConfig, string | undefined>>;

export function resolveNeo4jConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: Neo4jConfigOverrides = {},
): Neo4jConfig {
  const pick = (key: keyof Neo4jConfig, envName: string): string =>
    nonEmpty(flags[key]) ?? nonEmpty(env[envName]) ?? DEFAULT_NEO4J_CONFIG[key];
  return Object.freeze({
    uri: pick('uri', 'NEO4J_URI'),
    user: pick('user', 'NEO4J_USER'),
    // A password file keeps it out of `ps` and shell history (a flag shows in both).
    password: nonEmpty(flags.password) ?? nonEmpty(env['NEO4J_PASSWORD']) ?? passwordFromFile(env['NEO4J_PASSWORD_FILE']) ?? DEFAULT_NEO4J_CONFIG.password,
    database: pick('database', 'NEO4J_DATABASE'),
    dataDir: path.resolve(pick('dataDir', 'NEO4J_DATA_DIR')),
  });
}

function passwordFromFile(file: string | undefined): string | undefined {
  if (!nonEmpty(file)) return undefined;
  try {
    return nonEmpty(readFileSync(file!, 'utf8').replace(/\r?\n$/, ''));
  } catch (error) {
    throw new KgnegError(`NEO4J_PASSWORD_FILE ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`, { hint: 'point it at a file holding the password on its first line', exitCode: 2 });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
