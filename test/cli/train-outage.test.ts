/**
 * Neo4j going away while a training writes back, against a real server of the
 * test's own that the test kills (SIGKILL, by pid) when the child's write-back
 * progress says rows are being written: the training exits non-zero within a
 * bounded time with one line that says what was kept, and its metrics.json
 * holds the trained run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveNeo4jConfig, type Neo4jConfig } from '../../src/graph/config.js';
import { connect } from '../../src/graph/connection.js';
import { ingestDataset } from '../../src/graph/datasets/ingest.js';
import { freePort, startLocalNeo4j, stopLocalNeo4j } from '../../src/graph/local-neo4j/server.js';
import { FileMigrationProvider } from '../../src/graph/migrations/file-provider.js';
import { Migrator } from '../../src/graph/migrations/migrator.js';
import { QueryRunner } from '../../src/graph/query-runner.js';
import { AS_TERMINAL, signalAtLine } from '../support/child.js';
import { syntheticKgcn } from '../support/synthetic.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = mkdtempSync(path.join(tmpdir(), 'kgneg-outage-'));
let config: Neo4jConfig;
let pid: number;

beforeAll(async () => {
  const port = await freePort();
  config = resolveNeo4jConfig({}, { uri: `bolt://127.0.0.1:${port}`, password: 'outage-test-pw', dataDir });
  ({ pid } = await startLocalNeo4j(config, { heap: '512m' }));
  const connection = await connect(config);
  try {
    const runner = new QueryRunner(connection);
    const outcome = await new Migrator({ runner, provider: new FileMigrationProvider() }).migrateToLatest();
    if (outcome.error) throw outcome.error;
    await ingestDataset(runner, { dir: syntheticKgcn(400, 200, 10), name: 'outage' });
  } finally {
    await connection.close();
  }
}, 180_000);

afterAll(async () => {
  await stopLocalNeo4j(dataDir).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Neo4j killed during a training\'s write-back', () => {
  it('ends the training with a non-zero exit and one line, and keeps its metrics.json', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'kgneg-outage-run-'));
    const child = spawn(
      process.execPath,
      ['--import', AS_TERMINAL, '--import', 'tsx', 'src/cli/index.ts', 'train', '--dataset', 'outage', '--epochs', '2', '--dim', '8', '--backend', 'cpu', '--write-batch-size', '10', '--out', out],
      { cwd: ROOT, env: { ...process.env, NEO4J_URI: config.uri, NEO4J_USER: config.user, NEO4J_PASSWORD: config.password }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // The signal goes to the server, not to the child: signalAtLine's own kill is a no-op 0.
    const seen = await signalAtLine(child, 0 as unknown as NodeJS.Signals, (line) => {
      if (!/write-back/.test(line) || !/\d+\/\d+/.test(line)) return undefined;
      process.kill(pid, 'SIGKILL');
      return line;
    });
    const killedAt = Date.now();
    const code = await exited;
    const seconds = (Date.now() - killedAt) / 1000;
    const output = seen.output();
    expect(code, output).not.toBe(0);
    expect(seconds, output).toBeLessThan(90);
    const last = output.trim().split('\n').filter((l) => /^kgneg:/.test(l));
    expect(last.length, output).toBeGreaterThan(0);
    expect(output).not.toMatch(/internal error|    at /);
    expect(output).toMatch(/metrics are in .*metrics\.json \(not written back\)/);
    const metrics = JSON.parse(readFileSync(path.join(out, 'metrics.json'), 'utf8')) as { epochs: unknown[]; final: Record<string, number> };
    expect(metrics.epochs).toHaveLength(2);
    expect(metrics.final['recall@20']).toBeGreaterThan(0);
    expect(existsSync(path.join(out, 'training-curve.svg'))).toBe(true);
  }, 240_000);
});
