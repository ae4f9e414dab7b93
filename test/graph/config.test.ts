/** Connection settings and what a failure to connect says: no server needed. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveNeo4jConfig } from '../../src/graph/config.js';
import { checkNeo4jUri, describeConnectionFailure } from '../../src/graph/connection.js';
import { KgnegError } from '../../src/graph/errors.js';

function refusal(work: () => unknown): KgnegError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(KgnegError);
    expect((error as KgnegError).message).not.toMatch(/\n/);
    return error as KgnegError;
  }
  throw new Error('expected a refusal');
}

describe('Neo4j connection settings', () => {
  it('take bolt and neo4j URIs with or without TLS, and refuse anything else with exit 2', () => {
    for (const uri of ['bolt://127.0.0.1:7687', 'neo4j://core1:7687', 'neo4j+s://abcd.databases.neo4j.io', 'bolt+ssc://10.0.0.2:7687']) {
      expect(checkNeo4jUri(uri).hostname).not.toBe('');
    }
    for (const uri of ['http://localhost:7474', 'localhost:7687', 'bolt://', 'not a uri', 'bolt+x://h:1']) {
      const error = refusal(() => checkNeo4jUri(uri));
      expect(error.exitCode).toBe(2);
      expect(error.message).toMatch(/is not a Neo4j URI: expected bolt:\/\/, bolt\+s:\/\/.* and a host/);
    }
  });

  it('read the password from NEO4J_PASSWORD_FILE, after the flag and NEO4J_PASSWORD', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kgneg-pw-')), 'pw');
    writeFileSync(file, 'from-the-file\n');
    expect(resolveNeo4jConfig({ NEO4J_PASSWORD_FILE: file }).password).toBe('from-the-file');
    expect(resolveNeo4jConfig({ NEO4J_PASSWORD_FILE: file, NEO4J_PASSWORD: 'env' }).password).toBe('env');
    expect(resolveNeo4jConfig({ NEO4J_PASSWORD_FILE: file }, { password: 'flag' }).password).toBe('flag');
    const error = refusal(() => resolveNeo4jConfig({ NEO4J_PASSWORD_FILE: `${file}-missing` }));
    expect(error.message).toMatch(/^NEO4J_PASSWORD_FILE .*-missing cannot be read/);
    expect(error.exitCode).toBe(2);
  });

  it('say what failed: a local server down, a remote one, a TLS mismatch, a refused login', () => {
    const failure = (uri: string, code: string, message: string) => describeConnectionFailure(resolveNeo4jConfig({}, { uri }), Object.assign(new Error(message), { code }));
    expect(failure('bolt://127.0.0.1:7687', 'ServiceUnavailable', 'connect ECONNREFUSED 127.0.0.1:7687').hint).toMatch(/npm run db:start/);
    const remote = failure('neo4j://db.example.com:7687', 'ServiceUnavailable', 'connect ECONNREFUSED');
    expect(remote.hint).toMatch(/check that Neo4j runs at db\.example\.com:7687/);
    expect(remote.hint).not.toMatch(/db:start/);
    expect(failure('bolt://10.0.0.5:7687', 'ServiceUnavailable', 'Server certificate is not trusted... SSL').hint).toMatch(/the server expects TLS: use bolt\+s:\/\//);
    expect(failure('neo4j+s://x.example.com', 'ServiceUnavailable', 'self signed certificate in certificate chain').hint).toMatch(/\+ssc accepts a self-signed one/);
    const login = failure('bolt://127.0.0.1:7687', 'Neo.ClientError.Security.Unauthorized', 'The client is unauthorized');
    expect(login.message).toMatch(/refused user 'neo4j'/);
    expect(login.exitCode).toBe(3);
  });
});
