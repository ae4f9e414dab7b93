/**
 * Gives the tests a real Neo4j. With NEO4J_URI set, they use that server (and
 * its credentials from the environment). Otherwise a local Neo4j 5.26 is
 * started on a free port in a temporary directory and stopped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { resolveNeo4jConfig, type Neo4jConfig } from '../../src/graph/config.js';
import { freePort, startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/local-neo4j/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: Neo4jConfig;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env['NEO4J_URI']) {
    project.provide('neo4j', resolveNeo4jConfig(process.env));
    return async () => undefined;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kgneg-test-neo4j-'));
  const port = await freePort();
  const config = resolveNeo4jConfig({}, {
    uri: `bolt://127.0.0.1:${port}`,
    password: 'kgneg-test-password',
    dataDir,
  });
  const started = await startLocalNeo4j(config, { heap: '1g', log: (line) => console.log(line) });
  console.log(`test Neo4j on ${config.uri} (pid ${started.pid}) started in ${started.seconds.toFixed(1)}s`);
  project.provide('neo4j', config);
  return async () => {
    await stopLocalNeo4j(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  };
}
