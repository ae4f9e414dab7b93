import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
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

/** Tries the default neo4j/neo4j login once: 'accepted' (even if it must be changed), 'refused', or 'closed' (nothing listens). */
async function probeDefaultLogin(uri: string): Promise<'accepted' | 'refused' | 'closed'> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', 'neo4j'), { connectionTimeout: 1_000, maxConnectionPoolSize: 1 });
  // One auto-commit statement: the driver does not retry it (executeQuery would, for 30 s).
  const session = driver.session();
  try {
    await session.run('RETURN 1');
    return 'accepted';
  } catch (error) {
    const code = String((error as { code?: unknown }).code);
    // A wrong password, or too many of them in a row (Neo4j then refuses for a while).
    if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') return 'refused';
    if (code === 'ServiceUnavailable' || code === 'SessionExpired') return 'closed';
    // Neo.ClientError.Security.CredentialsExpired: the default password logged in, and must be changed.
    if (code === 'Neo.ClientError.Security.CredentialsExpired') return 'accepted';
    throw new Error(`unexpected answer to the default login: ${code} ${String((error as Error).message)}`);
  } finally {
    await session.close().catch(() => undefined);
    await driver.close();
  }
}

describe('local Neo4j (db:start / db:stop)', () => {
  it('never accepts the default password during a first start: the configured one is set before Bolt opens', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'kgneg-server-first-'));
    const port = await freePort();
    const config = resolveNeo4jConfig({}, { uri: `bolt://127.0.0.1:${port}`, password: 'first-start-pw', dataDir: fresh });
    const seen = { accepted: 0, refused: 0, closed: 0 };
    let stop = false;
    // From before the launcher starts until Bolt answers: every 10 ms until the default login is refused
    // three times (the race was the time between Bolt opening and the password being set; Neo4j then
    // locks the user for 5 s after three failures, which the launcher's own login waits out).
    const probing = (async () => {
      while (!stop && seen.refused < 3) {
        seen[await probeDefaultLogin(config.uri)] += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    try {
      await startLocalNeo4j(config, { heap: '512m' });
      await probing;
      expect(seen.accepted).toBe(0);
      expect(seen.closed).toBeGreaterThan(10);
      expect(seen.refused).toBe(3);
      const connection = await connect(config);
      await connection.close();
    } finally {
      stop = true;
      await probing;
      await stopLocalNeo4j(fresh);
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 180_000);

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
