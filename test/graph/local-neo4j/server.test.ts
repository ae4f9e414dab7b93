import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveNeo4jConfig } from '../../../src/graph/config.js';
import { connect } from '../../../src/graph/connection.js';
import { KgnegError } from '../../../src/graph/errors.js';
import {
  freePort,
  localServerStatus,
  startLocalNeo4j,
  stopLocalNeo4j,
} from '../../../src/graph/local-neo4j/server.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'kgneg-server-test-'));
afterAll(async () => {
  await stopLocalNeo4j(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local Neo4j (db:start / db:stop)', () => {
  it('starts once per data directory, stops, and keeps the data for the next start', async () => {
    const port = await freePort();
    const config = resolveNeo4jConfig({}, { uri: `bolt://127.0.0.1:${port}`, password: 'server-test-pw', dataDir });

    const first = await startLocalNeo4j(config, { heap: '512m' });
    expect(first.alreadyRunning).toBe(false);
    const twin = await startLocalNeo4j(config, { heap: '512m' });
    expect(twin.alreadyRunning).toBe(true);
    expect(twin.pid).toBe(first.pid);

    let connection = await connect(config);
    await connection.driver.executeQuery('CREATE (:Survivor {name: $name})', { name: 'kept' });
    await connection.close();

    const stopped = await stopLocalNeo4j(dataDir);
    expect(stopped.stopped).toBe(true);
    expect(localServerStatus(dataDir)).toBeUndefined();
    await expect(connect(config)).rejects.toThrow(/cannot reach Neo4j/);

    const again = await startLocalNeo4j(config, { heap: '512m' });
    expect(again.alreadyRunning).toBe(false);
    connection = await connect(config);
    const result = await connection.driver.executeQuery('MATCH (s:Survivor) RETURN s.name AS name');
    expect(result.records.map((r) => r.get('name'))).toEqual(['kept']);
    await connection.close();
  });

  it('refuses a port that another process already listens on', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'kgneg-server-test-other-'));
    const busy = resolveNeo4jConfig({}, { uri: (localServerStatus(dataDir)?.uri ?? ''), password: 'server-test-pw', dataDir: other });
    await expect(startLocalNeo4j(busy)).rejects.toThrow(KgnegError);
    await expect(startLocalNeo4j(busy)).rejects.toThrow(/already taken by another process/);
    rmSync(other, { recursive: true, force: true });
  });
});
