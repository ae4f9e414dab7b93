/**
 * One writer at a time per dataset. Training write-back and `forget` take a
 * lock held in the database on the (:Dataset) node, with a heartbeat: a
 * holder that was killed stops beating and its lock is taken over after
 * STALE_MS, or at once when it ran on this host and its process is gone.
 * Readers (recommendations, explanations) never take it: they follow the
 * served run, which only the holder switches, atomically.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KgnegError } from './errors.js';
import type { QueryRunner } from './query-runner.js';
import { pidAlive } from './local-process.js';
import { intParam } from './values.js';

export const WRITER_STALE_MS = 30_000;
const HEARTBEAT_MS = 5_000;
const POLL_MS = 1_000;

export interface WriterLock {
  release(): Promise<void>;
}

export interface WriterOptions {
  /** What holds it, for the message others see: 'train (mf + dns, seed 1)'. */
  readonly command: string;
  /** Seconds to wait for the holder to finish before failing (0: fail at once). */
  readonly waitSeconds?: number;
  readonly staleMs?: number;
  readonly onWait?: (holder: string) => void;
}

/** The lock error names the holder, where it runs, and since when. */
export class DatasetBusyError extends KgnegError {
  constructor(dataset: string, holder: { owner: string | null; command: string | null; since: string | null }, staleSeconds: number) {
    super(`dataset '${dataset}' is being written by ${holder.command ?? 'another kgneg command'} (${holder.owner ?? 'unknown'}) since ${holder.since ?? 'a moment ago'}`, {
      hint: `wait for it (--wait SECONDS waits instead of failing); a killed holder's lock expires ${staleSeconds}s after its last heartbeat`,
      exitCode: 4,
    });
    this.name = 'DatasetBusyError';
  }
}

export async function acquireWriterLock(runner: QueryRunner, dataset: string, options: WriterOptions): Promise<WriterLock> {
  const host = hostname();
  const owner = `${host}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const staleMs = options.staleMs ?? WRITER_STALE_MS;
  const deadline = Date.now() + 1000 * (options.waitSeconds ?? 0);
  let announced = false;
  for (;;) {
    const [holder] = await runner.read<{ owner: string | null; host: string | null }>('dataset/peek-writer', { dataset });
    const deadOwner = holder?.owner && holder.host === host && !pidAlive(holder.owner) ? holder.owner : null;
    const { rows } = await runner.write<{ acquired: boolean; owner: string | null; command: string | null; since: string | null }>('dataset/acquire-writer', {
      dataset,
      owner,
      host,
      command: options.command,
      deadOwner,
      staleMs: intParam(staleMs),
    });
    const row = rows[0];
    if (!row) throw new KgnegError(`no dataset named '${dataset}' in Neo4j`, { hint: 'npm run stats lists them', exitCode: 2 });
    if (row.acquired) break;
    if (Date.now() >= deadline) throw new DatasetBusyError(dataset, row, staleMs / 1000);
    if (!announced) {
      options.onWait?.(`waiting for ${row.command ?? 'another writer'} (${row.owner ?? 'unknown'}, since ${row.since ?? '?'}) to finish writing '${dataset}'`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const timer = setInterval(() => {
    runner.write('dataset/heartbeat-writer', { dataset, owner }).catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await runner.write('dataset/release-writer', { dataset, owner });
    },
  };
}

/** Runs `work` holding the dataset's writer lock. */
export async function withWriterLock<T>(runner: QueryRunner, dataset: string, options: WriterOptions, work: () => Promise<T>): Promise<T> {
  const lock = await acquireWriterLock(runner, dataset, options);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // The work's failure is the one to report; a lock that cannot be released (the database went
    // away) expires after its heartbeat stops.
    await lock.release().catch(() => undefined);
    throw error;
  }
  await lock.release();
  return result;
}
