import type { QueryRunner } from '../query-runner.js';

export interface MigrationContext {
  readonly runner: QueryRunner;
  readonly log: (line: string) => void;
}

/** A migration file, ready to run. `version` orders migrations; `checksum` detects edits after applying. */
export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly checksum: string;
  up(context: MigrationContext): Promise<void>;
}

export interface MigrationProvider {
  getMigrations(): Promise<Migration[]>;
}

export type MigrationStatus = 'applied' | 'already-applied' | 'failed' | 'not-run';

export interface MigrationResult {
  readonly version: string;
  readonly name: string;
  readonly status: MigrationStatus;
  readonly ms?: number;
  readonly error?: string;
}

export interface MigrateOutcome {
  readonly results: readonly MigrationResult[];
  /** Set when a migration failed; the results say which one and what never ran. */
  readonly error?: unknown;
}

/** What the database says was applied. */
export interface AppliedMigration {
  readonly version: string;
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: string;
  readonly ms: number | null;
}
