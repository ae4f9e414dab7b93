/**
 * What arrived in a dataset since its served run was trained (`npm run
 * stats`): users and items with interactions that the run has no vector for,
 * and interactions timed after the run started. Read from kgneg's own layout
 * or through a mapping; the counts are Cypher aggregates, nothing is copied.
 */
import { mappedTimeOf } from './fold-in-data.js';
import type { QueryRunner } from './query-runner.js';
import { mappedSlots } from './recommendations.js';
import { currentRun } from './write-back.js';

export interface ChangesSinceRun {
  readonly runId: string;
  readonly startedAt: string;
  /** Users with interactions and no vector in the run: they arrived after it. */
  readonly newUsers: number;
  readonly newItems: number;
  /** Interactions that arrived after the run read its data: timed later (a mapped graph), or loaded later by a growth of the files. */
  readonly newerInteractions: number;
  readonly usersWithNewer: number;
  /** Whether arrivals can be told: always for files (a growth marks its rows), on a mapped graph only with interaction times. */
  readonly timed: boolean;
  /** Interactions the run read (runs written before it was recorded have none). */
  readonly interactionsRead?: number;
}

export async function changesSinceServedRun(runner: QueryRunner, dataset: string): Promise<ChangesSinceRun | undefined> {
  const run = await currentRun(runner, dataset);
  if (!run) return undefined;
  const mapped = await mappedSlots(runner, dataset);
  let rows: ChangesSinceRun[];
  if (mapped) {
    rows = await runner.read<ChangesSinceRun>('mapped/changes-since-run', { dataset, timeOf: await mappedTimeOf(runner, dataset) }, mapped);
  } else {
    rows = await runner.read<ChangesSinceRun>('runs/changes-since-run', { dataset });
  }
  const row = rows[0];
  if (!row) return undefined;
  const read = Number(run['interactionsRead']);
  return { ...row, ...(Number.isFinite(read) ? { interactionsRead: read } : {}) };
}
