import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/graph/local-neo4j/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the CLI entry point', () => {
  it('reports a dead database in one line with what to run, and no stack trace', async () => {
    const port = await freePort();
    const { code, stderr } = cli(['stats', '--neo4j-uri', `bolt://127.0.0.1:${port}`]);
    expect(code).toBe(3);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe(`kgneg: cannot reach Neo4j at bolt://127.0.0.1:${port}: ${lines[0]?.split(': ').slice(2).join(': ')}`);
    expect(lines[1]).toMatch(/npm run db:start/);
    expect(lines).toHaveLength(2);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('lists the commands when given an unknown one', () => {
    const { code, stderr } = cli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command 'frobnicate'/);
    expect(stderr).toMatch(/migrate/);
  });

  it('rejects an unknown flag with usage', () => {
    const { code, stderr } = cli(['migrate', '--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown option '--no-such-flag'/);
  });
});
