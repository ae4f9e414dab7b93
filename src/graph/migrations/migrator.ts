/**
 * Applies migrations in version order, records each applied one in the database
 * (:Migration {set, version, name, checksum, appliedAt, ms}), under a lock.
 * It refuses to run when what was applied disagrees with the files; a failed
 * migration is reported, not recorded, and runs again next time, so migrations
 * must be idempotent (IF NOT EXISTS, MERGE).
 */
import { MigrationError } from '../errors.js';
import type { QueryRunner } from '../query-runner.js';
import { intParam } from '../values.js';
import { acquireMigrationLock } from './lock.js';
import type { AppliedMigration, MigrateOutcome, Migration, MigrationProvider, MigrationResult } from './types.js';

const DEFAULT_MIGRATION_SET = 'kgneg';

export interface MigratorOptions {
  readonly runner: QueryRunner;
  readonly provider: MigrationProvider;
  /** Separates independent migration histories in one database (tests use their own). */
  readonly set?: string;
  readonly log?: (line: string) => void;
}

export class Migrator {
  readonly #runner: QueryRunner;
  readonly #provider: MigrationProvider;
  readonly #set: string;
  readonly #log: (line: string) => void;

  constructor(options: MigratorOptions) {
    this.#runner = options.runner;
    this.#provider = options.provider;
    this.#set = options.set ?? DEFAULT_MIGRATION_SET;
    this.#log = options.log ?? (() => undefined);
  }

  async applied(): Promise<AppliedMigration[]> {
    await this.#ensureBookkeeping();
    return this.#runner.read<AppliedMigration>('migrations/list-applied', { set: this.#set });
  }

  async migrateToLatest(): Promise<MigrateOutcome> {
    await this.#ensureBookkeeping();
    const lock = await acquireMigrationLock(this.#runner, this.#set);
    try {
      const migrations = await this.#provider.getMigrations();
      const applied = await this.#runner.read<AppliedMigration>('migrations/list-applied', { set: this.#set });
      checkIntegrity(migrations, applied);
      const done = new Set(applied.map((m) => m.version));
      const results: MigrationResult[] = migrations.map((m) => ({
        version: m.version,
        name: m.name,
        status: done.has(m.version) ? 'already-applied' : 'not-run',
      }));
      for (const [index, migration] of migrations.entries()) {
        if (done.has(migration.version)) continue;
        const began = Date.now();
        try {
          await migration.up({ runner: this.#runner, log: this.#log });
        } catch (error) {
          results[index] = {
            version: migration.version,
            name: migration.name,
            status: 'failed',
            ms: Date.now() - began,
            error: error instanceof Error ? error.message : String(error),
          };
          return { results, error };
        }
        const ms = Date.now() - began;
        await this.#runner.write('migrations/record-applied', {
          set: this.#set,
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          ms: intParam(ms),
        });
        results[index] = { version: migration.version, name: migration.name, status: 'applied', ms };
      }
      return { results };
    } finally {
      await lock.release();
    }
  }

  async #ensureBookkeeping(): Promise<void> {
    await this.#runner.write('migrations/create-migration-constraint');
    await this.#runner.write('migrations/create-lock-constraint');
  }
}

/** The rules that make a database and a migrations folder agree; each names its fix. */
function checkIntegrity(migrations: readonly Migration[], applied: readonly AppliedMigration[]): void {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const record of applied) {
    const file = byVersion.get(record.version);
    if (!file) {
      throw new MigrationError(
        `migration ${record.version}-${record.name} was applied ${record.appliedAt} but its file is gone`,
        'restore the file from version control; applied migrations are never deleted',
      );
    }
    if (file.checksum !== record.checksum) {
      throw new MigrationError(
        `migration ${record.version}-${record.name} changed after it was applied (checksum ${record.checksum.slice(0, 12)} in the database, ${file.checksum.slice(0, 12)} on disk)`,
        'restore the applied version and put the change in a new migration',
      );
    }
  }
  const last = applied.at(-1)?.version;
  if (last !== undefined) {
    const appliedVersions = new Set(applied.map((m) => m.version));
    const early = migrations.find((m) => !appliedVersions.has(m.version) && m.version < last);
    if (early) {
      throw new MigrationError(
        `migration ${early.version}-${early.name} sorts before ${last}, which is already applied`,
        'renumber the new migration so that it comes after the applied ones',
      );
    }
  }
}
