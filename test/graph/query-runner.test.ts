import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/graph/connection.js';
import { CypherLibrary } from '../../src/graph/cypher.js';
import { QueryRunner } from '../../src/graph/query-runner.js';
import { testConfig, uniqueName } from '../support/neo4j.js';

// Each row bumps a counter on every hub, in the row's own order: batches that
// walk the hubs in opposite orders lock them in opposite orders and deadlock;
// the busy sum between two locks widens the window in which they cross.
const BUMP = `UNWIND $batch AS row
UNWIND row.order AS h
MATCH (n:WriteGateHub {tag: $tag, h: h})
WITH n, reduce(s = 0, x IN range(1, $spin) | s + x) AS busy
SET n.count = n.count + 1 + busy * 0`;
const HUBS = 12;

let connection: Connection;
let runner: QueryRunner;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-cypher-'));
  mkdirSync(path.join(dir, 'test'));
  writeFileSync(path.join(dir, 'test', 'bump-hubs.cypher'), BUMP);
  const config = testConfig();
  // No driver retries: the first deadlock reaches kgneg's own fallback.
  const driver = neo4j.driver(config.uri, neo4j.auth.basic(config.user, config.password), { maxTransactionRetryTime: 0 });
  connection = { driver, config, close: () => driver.close() };
  runner = new QueryRunner(connection, CypherLibrary.load(dir));
});
afterAll(async () => connection.close());

describe('QueryRunner.writeBatches against the real Neo4j', () => {
  it('finishes batches that deadlock each other, each applied exactly once', async () => {
    const tag = uniqueName('gate');
    const session = connection.driver.session({ database: connection.config.database });
    try {
      await session.run('UNWIND range(0, $n - 1) AS h CREATE (:WriteGateHub {tag: $tag, h: h, count: 0})', { tag, n: neo4j.int(HUBS) });
    } finally {
      await session.close();
    }
    const up = Array.from({ length: HUBS }, (_, h) => neo4j.int(h));
    const down = [...up].reverse();
    const rows = Array.from({ length: 40 }, (_, r) => ({ order: r % 2 === 0 ? up : down }));

    const counters = await runner.writeBatches('test/bump-hubs', rows, { params: { tag, spin: neo4j.int(100_000) }, batchSize: 1, concurrency: 4 });

    expect(counters.propertiesSet).toBe(rows.length * HUBS);
    const check = connection.driver.session({ database: connection.config.database });
    try {
      const result = await check.run('MATCH (n:WriteGateHub {tag: $tag}) RETURN n.count AS c', { tag });
      expect(result.records.map((r) => Number(r.get('c')))).toEqual(Array(HUBS).fill(rows.length));
      await check.run('MATCH (n:WriteGateHub {tag: $tag}) DELETE n', { tag });
    } finally {
      await check.close();
    }
    // Whether Neo4j saw a deadlock depends on timing; the counts above hold either way.
    console.log(`write-gate test: ${counters.batchesRetriedAlone} of ${rows.length} batches deadlocked and were run again alone`);
  });
});
