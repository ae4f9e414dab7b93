/**
 * One migrator at a time per migration set. The lock is a node with a
 * heartbeat: a holder that was killed stops beating, and its lock is taken over
 * after STALE_MS, or at once when it was on this host and its process is gone
 * (so re-running a killed `migrate` does not wait).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { MigrationError } from '../errors.js';
import type { QueryRunner } from '../query-runner.js';
import { pidAlive } from '../local-process.js';
import { intParam } from '../values.js';

const STALE_MS = 30_000;
const HEARTBEAT_MS = 5_000;
const WAIT_MS = 60_000;

export interface HeldLock {
  release(): Promise<void>;
}

export async function acquireMigrationLock(runner: QueryRunner, set: string): Promise<HeldLock> {
  const host = hostname();
  const owner = `${host}:${process.pid}:${randomUUID()}`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const [holder] = await runner.read<{ owner: string | null; host: string | null }>('migrations/peek-lock', { set });
    const deadOwner = holder?.owner && holder.host === host && !pidAlive(holder.owner) ? holder.owner : null;
    const { rows } = await runner.write<{ acquired: boolean; owner: string }>('migrations/acquire-lock', {
      set,
      owner,
      host,
      deadOwner,
      staleMs: intParam(STALE_MS),
    });
    if (rows[0]?.acquired) break;
    if (Date.now() > deadline) {
      throw new MigrationError(
        `another migrate (${rows[0]?.owner ?? 'unknown'}) holds the migration lock of '${set}'`,
        `wait for it to finish; a killed one's lock expires ${STALE_MS / 1000}s after its last heartbeat`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const timer = setInterval(() => {
    runner.write('migrations/heartbeat-lock', { set, owner }).catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await runner.write('migrations/release-lock', { set, owner });
    },
  };
}
