import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/train/backend.js';
import { runCli } from '../support/cli.js';

const native = await selectBackend('tensorflow').then(
  () => true,
  () => false,
);
const scratch = mkdtempSync(join(tmpdir(), 'kgneg-setup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run setup:tensorflow', () => {
  // Where the setup ran (CI runs it before the tests), a second run only checks.
  it.skipIf(!native)('is idempotent: run again, every step finds its result in place and the addon still loads', () => {
    const result = runCli(['setup:tensorflow']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\[1\/5\] TensorFlow [\d.]+ C library already in/);
    expect(result.stdout).toMatch(/\[2\/5\] @tensorflow\/tfjs-node [\d.]+ is installed/);
    expect(result.stdout).toMatch(/\[4\/5\] addon already built/);
    expect(result.stdout).toMatch(/\[5\/5\] a fresh process loaded it: tfjs-node [\d.]+, TensorFlow [\d.]+, 2x2 product correct/);
  });

  it('a wheel that does not exist is a one-line error naming it, and leaves nothing behind', () => {
    const result = runCli(['setup:tensorflow', '--wheel', '0.0.1', '--cache', scratch]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/kgneg: pip could not download tensorflow-cpu==0\.0\.1/);
    expect(result.stderr).toMatch(/→ .*--wheel VERSION/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // The scratch download directory is removed; nothing half-unpacked stays in the cache.
    expect(readdirSync(scratch)).toEqual([]);
  });
});
