/** Runs the kgneg CLI as a child process against the tests' Neo4j (see global-neo4j.ts). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testConfig } from './neo4j.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function runCli(args: string[], env: Record<string, string> = {}) {
  const config = testConfig();
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password, ...env },
  });
}
