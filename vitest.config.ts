import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 *
 * - `unit` (npm run test:unit): every test file under test/ that is NOT listed
 *   below. It needs neither Neo4j (no Java, no server is started) nor the
 *   shared datasets: a fresh clone runs it in seconds.
 * - `integration` (npm run test:integration): exactly the files listed below,
 *   the files that talk to Neo4j or read the shared datasets. Its globalSetup
 *   (test/support/global-neo4j.ts) starts a real Neo4j unless NEO4J_URI is set.
 *
 * The rule: a test file belongs in INTEGRATION when it talks to Neo4j — it
 * imports test/support/neo4j.ts (inject('neo4j'), a QueryRunner on the test
 * server), runs a CLI command that opens the database (test/support/cli.ts,
 * or its own spawn with NEO4J_URI), or starts a server itself (Java) — or
 * when it reads the real datasets in ../shared/datasets (sharedDataset(),
 * SHARED_DATASETS_DIR or hasSharedDatasets from test/graph/datasets/fixtures.ts,
 * or test/graph/mapping/ml100k-csv.ts). Such dataset tests live in a sibling
 * `<name>.shared.test.ts` next to the unit file that keeps the small fixtures.
 * Every other file is a unit test, so a new file is a unit test until listed here.
 *
 * Nothing that needs Neo4j can be misfiled silently: in the unit project
 * inject('neo4j') is undefined, and test/support/neo4j.ts (thus
 * test/support/cli.ts for commands that need the database) throws, naming
 * this list; a dataset test left in the unit project still passes there,
 * only slowly (and is skipped where ../shared/datasets is absent). A listed
 * path that no longer exists (renamed, deleted) stops vitest here.
 */
export const INTEGRATION = [
  'test/cli/train-exposures.test.ts',
  'test/cli/train-interrupt.test.ts',
  'test/cli/train-kgpolicy.test.ts',
  'test/cli/train-kill.test.ts',
  'test/cli/train-outage.test.ts',
  'test/cli/train.test.ts',
  'test/graph/connection.test.ts',
  'test/graph/datasets/formats/detect.shared.test.ts',
  'test/graph/datasets/formats/kgat.shared.test.ts',
  'test/graph/datasets/formats/kgcn.shared.test.ts',
  'test/graph/datasets/formats/mind.shared.test.ts',
  'test/graph/datasets/formats/recbole.shared.test.ts',
  'test/graph/datasets/growth.test.ts',
  'test/graph/datasets/ingest-bad-input.test.ts',
  'test/graph/datasets/ingest-resume.test.ts',
  'test/graph/datasets/ingest.test.ts',
  'test/graph/datasets/parse.shared.test.ts',
  'test/graph/datasets/resplit.test.ts',
  'test/graph/datasets/split.shared.test.ts',
  'test/graph/dataset-lock.test.ts',
  'test/graph/exposures.test.ts',
  'test/graph/forget.test.ts',
  'test/graph/local-neo4j/server.test.ts',
  'test/graph/mapping/csv.shared.test.ts',
  'test/graph/mapping/graph-source.test.ts',
  'test/graph/migrations/migrator.test.ts',
  'test/graph/query-runner.test.ts',
  'test/graph/regions.test.ts',
  'test/graph/training-data.test.ts',
  'test/graph/write-back.test.ts',
];

const root = fileURLToPath(new URL('./', import.meta.url));
const missing = INTEGRATION.filter((file) => !existsSync(root + file));
if (missing.length > 0) {
  throw new Error(`vitest.config.ts: INTEGRATION lists files that do not exist: ${missing.join(', ')} (renamed or deleted? update the list)`);
}

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: INTEGRATION,
          // Files side by side on every core (vitest's default leaves one free: a 2-core machine would run them one at a time).
          maxWorkers: '100%',
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          globalSetup: ['test/support/global-neo4j.ts'],
          // One Neo4j serves every test file; running files one at a time keeps the
          // 2-core CI machine from timing out and makes failures readable.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
