/** Runs the kgneg CLI as a child process against the tests' Neo4j (see global-neo4j.ts). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testConfig } from './neo4j.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Commands that never open a connection: they get no test Neo4j, so that
 * their tests run in the unit project. Any other command needs the
 * integration project (testConfig() throws in the unit project).
 */
const OFFLINE_COMMANDS = new Set(['setup:tensorflow']);

/** NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD of the tests' Neo4j, for a child process. */
function neo4jEnv(): Record<string, string> {
  const config = testConfig();
  return { NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password };
}

export function runCli(args: string[], env: Record<string, string> = {}) {
  const neo4j = OFFLINE_COMMANDS.has(args[0] ?? '') ? {} : neo4jEnv();
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...neo4j, ...env },
  });
}
