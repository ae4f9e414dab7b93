import { describe, expect, it } from 'vitest';
import { connect } from '../../src/graph/connection.js';
import { DatabaseUnavailableError } from '../../src/graph/errors.js';
import { freePort } from '../../src/graph/local-neo4j/server.js';
import { testConfig } from '../support/neo4j.js';

describe('connect', () => {
  it('names the address and what to run when nothing answers', async () => {
    const port = await freePort();
    const error = await connect({ ...testConfig(), uri: `bolt://127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).message).toContain(`cannot reach Neo4j at bolt://127.0.0.1:${port}`);
    expect((error as DatabaseUnavailableError).hint).toContain('npm run db:start');
  });

  it('is refused with a wrong password: the server enforces authentication', async () => {
    const error = await connect({ ...testConfig(), password: 'not-the-password' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as Error).message).toMatch(/refused user 'neo4j'/);
  });

  it('connects with the configured credentials', async () => {
    const connection = await connect(testConfig());
    const result = await connection.driver.executeQuery('RETURN 1 AS one');
    expect(result.records[0]?.get('one').toNumber()).toBe(1);
    await connection.close();
  });
});
