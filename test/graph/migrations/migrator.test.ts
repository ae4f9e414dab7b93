import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/graph/connection.js';
import { MigrationError } from '../../../src/graph/errors.js';
import { FileMigrationProvider } from '../../../src/graph/migrations/file-provider.js';
import { Migrator } from '../../../src/graph/migrations/migrator.js';
import type { QueryRunner } from '../../../src/graph/query-runner.js';
import { openTestRunner, uniqueName } from '../../support/neo4j.js';

let runner: QueryRunner;
let connection: Connection;
beforeAll(async () => {
  ({ runner, connection } = await openTestRunner());
});
afterAll(async () => connection.close());

/**
 * Fixture migrations write nodes labelled with a per-test tag, so a test sees
 * exactly what its migrations did. Labels other than kgneg's cannot go through
 * the Cypher library, so fixtures use runner.autoCommitText with the tag as a
 * parameter (never as Cypher text).
 */
function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-migrations-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return dir;
}

const createStep = (tag: string, step: number) => `
export async function up({ runner }) {
  await runner.autoCommitText('MERGE (:MigrationFixture {tag: $tag, step: $step})', { tag: ${JSON.stringify(tag)}, step: ${step} });
}`;

async function fixtureSteps(tag: string): Promise<number[]> {
  const rows = await runner.autoCommitText<{ step: number }>(
    'MATCH (n:MigrationFixture {tag: $tag}) RETURN n.step AS step ORDER BY step',
    { tag },
  );
  return rows.map((r) => r.step);
}

describe('Migrator', () => {
  it('applies migrations in version order, records them, and is a no-op the second time', async () => {
    const set = uniqueName('set');
    const dir = migrationsDir({ '0002-second.mjs': createStep(set, 2), '0001-first.mjs': createStep(set, 1) });
    const migrator = new Migrator({ runner, provider: new FileMigrationProvider(dir), set });
    const first = await migrator.migrateToLatest();
    expect(first.error).toBeUndefined();
    expect(first.results.map((r) => [r.version, r.status])).toEqual([
      ['0001', 'applied'],
      ['0002', 'applied'],
    ]);
    const applied = await migrator.applied();
    expect(applied.map((m) => [m.version, m.name])).toEqual([
      ['0001', 'first'],
      ['0002', 'second'],
    ]);
    expect(applied.every((m) => m.checksum.length === 64 && m.appliedAt.length > 0)).toBe(true);

    const again = await migrator.migrateToLatest();
    expect(again.results.map((r) => r.status)).toEqual(['already-applied', 'already-applied']);
    expect(await fixtureSteps(set)).toEqual([1, 2]);
  });

  it('refuses to run when an applied migration file was changed, naming it', async () => {
    const set = uniqueName('set');
    const dir = migrationsDir({ '0001-first.mjs': createStep(set, 1) });
    const migrator = new Migrator({ runner, provider: new FileMigrationProvider(dir), set });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    writeFileSync(path.join(dir, '0001-first.mjs'), `${createStep(set, 1)}\n// edited`);
    const edited = new Migrator({ runner, provider: new FileMigrationProvider(dir), set });
    await expect(edited.migrateToLatest()).rejects.toThrow(MigrationError);
    await expect(edited.migrateToLatest()).rejects.toThrow(/0001-first changed after it was applied/);
  });

  it('refuses a new migration that sorts before an applied one', async () => {
    const set = uniqueName('set');
    const dir = migrationsDir({ '0002-second.mjs': createStep(set, 2) });
    expect((await new Migrator({ runner, provider: new FileMigrationProvider(dir), set }).migrateToLatest()).error).toBeUndefined();
    writeFileSync(path.join(dir, '0001-first.mjs'), createStep(set, 1));
    await expect(new Migrator({ runner, provider: new FileMigrationProvider(dir), set }).migrateToLatest()).rejects.toThrow(
      /0001-first sorts before 0002/,
    );
  });

  it('reports a migration that fails part-way, runs nothing after it, and finishes on the next run', async () => {
    const set = uniqueName('set');
    const marker = uniqueName('fail');
    // Writes 3 of 5 nodes in separate transactions, then fails while the marker exists.
    const flaky = `
export async function up({ runner }) {
  for (let step = 10; step < 15; step++) {
    if (step === 13) {
      const [row] = await runner.autoCommitText('OPTIONAL MATCH (m:MigrationFixture {tag: $marker}) RETURN m IS NOT NULL AS failing', { marker: ${JSON.stringify(marker)} });
      if (row.failing) throw new Error('disk full (simulated)');
    }
    await runner.autoCommitText('MERGE (:MigrationFixture {tag: $tag, step: $step})', { tag: ${JSON.stringify(set)}, step });
  }
}`;
    const dir = migrationsDir({ '0001-first.mjs': createStep(set, 1), '0002-flaky.mjs': flaky, '0003-third.mjs': createStep(set, 3) });
    await runner.autoCommitText('CREATE (:MigrationFixture {tag: $marker})', { marker });
    const migrator = new Migrator({ runner, provider: new FileMigrationProvider(dir), set });
    const failed = await migrator.migrateToLatest();
    expect(failed.error).toBeInstanceOf(Error);
    expect(failed.results.map((r) => r.status)).toEqual(['applied', 'failed', 'not-run']);
    expect(failed.results[1]?.error).toMatch(/disk full/);
    expect(await fixtureSteps(set)).toEqual([1, 10, 11, 12]);
    expect((await migrator.applied()).map((m) => m.version)).toEqual(['0001']);

    await runner.autoCommitText('MATCH (m:MigrationFixture {tag: $marker}) DELETE m', { marker });
    const finished = await migrator.migrateToLatest();
    expect(finished.results.map((r) => r.status)).toEqual(['already-applied', 'applied', 'applied']);
    expect(await fixtureSteps(set)).toEqual([1, 3, 10, 11, 12, 13, 14]);
  });

  it('applies the project migrations: every merge key has a uniqueness constraint', async () => {
    const outcome = await new Migrator({ runner, provider: new FileMigrationProvider() }).migrateToLatest();
    expect(outcome.error).toBeUndefined();
    const constraints = await runner.autoCommitText<{ labels: string[]; properties: string[]; type: string }>(
      'SHOW CONSTRAINTS YIELD labelsOrTypes AS labels, properties, type RETURN labels, properties, type',
    );
    const keys = constraints.map((c) => `${c.labels.join(':')}(${c.properties.join(',')}) ${c.type}`).sort();
    expect(keys).toEqual(
      expect.arrayContaining([
        'Dataset(name) UNIQUENESS',
        'User(dataset,userId) UNIQUENESS',
        'Item(dataset,itemId) UNIQUENESS',
        'Entity(dataset,entityId) UNIQUENESS',
        'INTERACTED(dataset,key) RELATIONSHIP_UNIQUENESS',
        'EXPOSED(dataset,key) RELATIONSHIP_UNIQUENESS',
        'KG(dataset,key) RELATIONSHIP_UNIQUENESS',
      ]),
    );
  });
});
