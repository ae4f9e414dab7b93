/** A connection to the tests' Neo4j (see global-neo4j.ts). */
import { inject } from 'vitest';
import type { Neo4jConfig } from '../../src/graph/config.js';
import { connect, type Connection } from '../../src/graph/connection.js';
import { FileMigrationProvider } from '../../src/graph/migrations/file-provider.js';
import { Migrator } from '../../src/graph/migrations/migrator.js';
import { QueryRunner } from '../../src/graph/query-runner.js';

export function testConfig(): Neo4jConfig {
  const config = inject('neo4j') as Neo4jConfig | undefined;
  if (config === undefined) {
    // Only the integration project's globalSetup provides it (see vitest.config.ts).
    throw new Error(
      'this test needs the test Neo4j, but it runs in the unit project, which starts none: ' +
        'add its file to INTEGRATION in vitest.config.ts (npm run test:integration runs it)',
    );
  }
  return config;
}

export async function openTestRunner(): Promise<{ runner: QueryRunner; connection: Connection }> {
  const connection = await connect(testConfig());
  return { runner: new QueryRunner(connection), connection };
}

/**
 * A runner on a database with every migration applied: the constraints and
 * indexes that make MATCH by id fast (without them a fresh test database
 * scans labels on every lookup).
 */
export async function openMigratedRunner(): Promise<{ runner: QueryRunner; connection: Connection }> {
  const opened = await openTestRunner();
  const outcome = await new Migrator({ runner: opened.runner, provider: new FileMigrationProvider() }).migrateToLatest();
  if (outcome.error) throw outcome.error;
  return opened;
}

/** A dataset or migration-set name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export const SHARED_DATASETS = new URL('../../../shared/datasets/', import.meta.url).pathname;
