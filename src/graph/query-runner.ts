/**
 * Runs named Cypher statements. Reads and single writes go through managed
 * transactions (retried by the driver on transient errors such as deadlocks);
 * bulk writes are cut into `UNWIND $batch` transactions run concurrently with
 * p-limit. Results come back as plain JS objects.
 */
import pLimit from 'p-limit';
import type { QueryResult, RecordShape, Session } from 'neo4j-driver';
import type { Connection } from './connection.js';
import { describeConnectionFailure } from './connection.js';
import { type CypherLibrary, type CypherSlots, cypherLibrary } from './cypher.js';
import { KgnegError } from './errors.js';
import { toPlain } from './values.js';
import { WriteGate } from './write-gate.js';

export type Params = Record<string, unknown>;

export interface WriteCounters {
  nodesCreated: number;
  relationshipsCreated: number;
  propertiesSet: number;
  nodesDeleted: number;
  relationshipsDeleted: number;
}

export interface BatchWriteCounters extends WriteCounters {
  /** Batches that deadlocked past the driver's retries and were run again alone. */
  batchesRetriedAlone: number;
}

export interface BatchProgress {
  readonly rowsDone: number;
  readonly rowsTotal: number;
}

export interface BatchOptions {
  /** Parameters shared by every batch (the rows go in `$batch`). */
  readonly params?: Params;
  readonly slots?: CypherSlots;
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly onProgress?: (progress: BatchProgress) => void;
}

const DEFAULT_BATCH_SIZE = 5_000;
const DEFAULT_CONCURRENCY = 2;
/** Attempts of a streamed read that a concurrent write invalidated (a transient error). */
const STREAM_ATTEMPTS = 4;

export class QueryRunner {
  readonly connection: Connection;
  readonly #cypher: CypherLibrary;

  constructor(connection: Connection, cypher: CypherLibrary = cypherLibrary()) {
    this.connection = connection;
    this.#cypher = cypher;
  }

  get database(): string {
    return this.connection.config.database;
  }

  statement(name: string, slots?: CypherSlots): string {
    return this.#cypher.get(name, slots);
  }

  async read<T = Record<string, unknown>>(name: string, params: Params = {}, slots?: CypherSlots): Promise<T[]> {
    const result = await this.#guard(() =>
      this.connection.driver.executeQuery(this.statement(name, slots), params, {
        database: this.database,
        routing: 'READ',
      }),
    );
    return result.records.map((record) => toPlain(record.toObject()) as T);
  }

  async write<T = Record<string, unknown>>(
    name: string,
    params: Params = {},
    slots?: CypherSlots,
  ): Promise<{ rows: T[]; counters: WriteCounters }> {
    const result = await this.#guard(() =>
      this.connection.driver.executeQuery(this.statement(name, slots), params, {
        database: this.database,
        routing: 'WRITE',
      }),
    );
    return {
      rows: result.records.map((record) => toPlain(record.toObject()) as T),
      counters: countersOf(result.summary.counters.updates()),
    };
  }

  /**
   * For statements that manage their own transactions (`CALL {} IN TRANSACTIONS`,
   * schema commands): they must run in an auto-commit transaction, which the
   * driver does not retry, so they must be idempotent.
   */
  async autoCommit<T = Record<string, unknown>>(name: string, params: Params = {}, slots?: CypherSlots): Promise<T[]> {
    return this.autoCommitText<T>(this.statement(name, slots), params);
  }

  async autoCommitText<T = Record<string, unknown>>(text: string, params: Params = {}): Promise<T[]> {
    const session = this.#session({});
    try {
      const result = await this.#guard(() => session.run(text, params) as Promise<QueryResult<RecordShape>>);
      return result.records.map((record) => toPlain(record.toObject()) as T);
    } finally {
      await session.close();
    }
  }

  /**
   * Streams a read's records (the driver pulls `fetchSize` at a time, so memory
   * stays bounded) to `onRecord`, as raw field arrays in RETURN order.
   * Integers arrive as plain numbers (range-checked).
   *
   * A streamed read is an auto-commit transaction, which the driver does not
   * retry, and a write committed meanwhile (another run's write-back) can
   * invalidate it halfway (Neo.TransientError.Transaction.Outdated). With
   * `restart` (which must forget the records seen so far) the read starts over,
   * up to STREAM_ATTEMPTS times; without it, or when every attempt failed, the
   * error says so in one line.
   */
  async stream(
    name: string,
    params: Params,
    onRecord: (fields: unknown[]) => void,
    options: { fetchSize?: number; slots?: CypherSlots; restart?: () => void } = {},
  ): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const session = this.#session({
        defaultAccessMode: 'READ',
        fetchSize: options.fetchSize ?? 10_000,
      });
      let count = 0;
      try {
        await this.#guard(async () => {
          const result = session.run(this.statement(name, options.slots), params);
          for await (const record of result) {
            onRecord(record.map(toPlain));
            count += 1;
          }
        });
        return count;
      } catch (error) {
        if (!isTransient(error)) throw error;
        if (options.restart && attempt < STREAM_ATTEMPTS) {
          options.restart();
          await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
          continue;
        }
        throw new KgnegError(
          `reading '${name}' failed ${attempt === 1 ? 'once' : `${attempt} times`}: the database changed during the read (${firstLine(error)})`,
          { hint: 'another process was writing to the same data (a training run writing back?); nothing was changed by this read: run it again' },
        );
      } finally {
        await session.close();
      }
    }
  }

  /**
   * Reads in `UNWIND $batch` transactions, several at a time (graph work per
   * user, such as region extraction): each record's fields go to `onRecord` in
   * RETURN order, batches in completion order.
   */
  async readBatches(name: string, rows: readonly unknown[], onRecord: (fields: unknown[]) => void, options: BatchOptions = {}): Promise<void> {
    const text = this.statement(name, options.slots);
    await this.#inBatches(rows, options, 'READ', async (session, batch) => {
      const records = await session.executeRead(async (tx) => (await tx.run(text, { ...options.params, batch })).records);
      for (const record of records) onRecord(record.map(toPlain));
    });
  }

  /** Runs a statement under PROFILE and returns the database hits of its plan (all operators). */
  async profileDbHits(name: string, params: Params = {}, slots?: CypherSlots): Promise<{ dbHits: number; rows: number }> {
    const session = this.#session({ defaultAccessMode: 'READ' });
    try {
      const result = await this.#guard(() => session.run(`PROFILE ${this.statement(name, slots)}`, params) as Promise<QueryResult<RecordShape>>);
      const sum = (plan: { dbHits: number; children: unknown[] }): number =>
        plan.dbHits + plan.children.reduce<number>((s, c) => s + sum(c as { dbHits: number; children: unknown[] }), 0);
      const profile = result.summary.profile;
      return { dbHits: profile ? sum(profile as unknown as { dbHits: number; children: unknown[] }) : 0, rows: result.records.length };
    } finally {
      await session.close();
    }
  }

  /**
   * Writes `rows` in `UNWIND $batch` transactions, several at a time. A batch
   * whose transaction still failed transiently (a deadlock) after the driver's
   * retries is run once more alone (see WriteGate), so the statement must be
   * idempotent, as every MERGE/SET batch of kgneg is.
   */
  async writeBatches(name: string, rows: readonly unknown[], options: BatchOptions = {}): Promise<BatchWriteCounters> {
    const text = this.statement(name, options.slots);
    const total: BatchWriteCounters = { ...emptyCounters(), batchesRetriedAlone: 0 };
    const gate = new WriteGate();
    await this.#inBatches(rows, options, 'WRITE', async (session, batch) => {
      const attempt = () => session.executeWrite(async (tx) => (await tx.run(text, { ...options.params, batch })).summary);
      let summary;
      try {
        summary = await gate.shared(attempt);
      } catch (error) {
        if (!isTransient(error)) throw error;
        total.batchesRetriedAlone += 1;
        summary = await gate.exclusive(attempt);
      }
      addCounters(total, countersOf(summary.counters.updates()));
    });
    return total;
  }

  /** Cuts rows into batches and runs `work` on each in its own session, `concurrency` at a time, with progress. */
  async #inBatches(
    rows: readonly unknown[],
    options: BatchOptions,
    accessMode: 'READ' | 'WRITE',
    work: (session: Session, batch: unknown[]) => Promise<void>,
  ): Promise<void> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
    let rowsDone = 0;
    // After the first failed batch no other starts: those queued would each fail the same way.
    let failedOnce = false;
    const tasks: Promise<void>[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      tasks.push(
        limit(async () => {
          if (failedOnce) return;
          const session = this.#session({ defaultAccessMode: accessMode });
          try {
            await this.#guard(() => work(session, batch));
          } catch (error) {
            failedOnce = true;
            throw error;
          } finally {
            await session.close().catch(() => undefined);
          }
          rowsDone += batch.length;
          options.onProgress?.({ rowsDone, rowsTotal: rows.length });
        }),
      );
    }
    // allSettled first so that no batch is still running when the error surfaces.
    const settled = await Promise.allSettled(tasks);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Every session shares the driver's bookmark manager with executeQuery: on
   * a cluster or Aura (neo4j:// URIs) a read then sees every write this
   * process committed before it, whichever session or server made it (a
   * training's read after its ingestion, a recommend after a write-back).
   */
  #session(config: { defaultAccessMode?: 'READ' | 'WRITE'; fetchSize?: number }): Session {
    return this.connection.driver.session({ database: this.database, bookmarkManager: this.connection.driver.executeQueryBookmarkManager, ...config });
  }

  /**
   * Set once the database could not be reached even after the driver's own
   * retries (30 s): every later statement of this runner fails at once with
   * the same message, instead of waiting out its own retries on a server that
   * is gone (a write-back's remaining batches, its clean-up, the lock's release).
   */
  #lost: KgnegError | undefined;

  async #guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.#lost) throw this.#lost;
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (code === 'ServiceUnavailable' || code === 'SessionExpired' || code === 'Neo.ClientError.Security.Unauthorized') {
        const described = describeConnectionFailure(this.connection.config, error);
        if (code !== 'Neo.ClientError.Security.Unauthorized') this.#lost = described;
        throw described;
      }
      throw error;
    }
  }
}

/**
 * A failure the database itself calls transient: retrying the same work may
 * succeed. A lost connection is not: the driver has retried it already, and
 * retrying each remaining batch would hang for minutes on a server that is gone.
 */
function isTransient(error: unknown): boolean {
  const e = error as { code?: unknown; retriable?: unknown } | null;
  if (e instanceof KgnegError || CONNECTION_LOST.has(String(e?.code))) return false;
  return e?.retriable === true || (typeof e?.code === 'string' && e.code.startsWith('Neo.TransientError.'));
}

const CONNECTION_LOST = new Set(['ServiceUnavailable', 'SessionExpired']);

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
}

function emptyCounters(): WriteCounters {
  return { nodesCreated: 0, relationshipsCreated: 0, propertiesSet: 0, nodesDeleted: 0, relationshipsDeleted: 0 };
}

function countersOf(updates: Record<string, number>): WriteCounters {
  return {
    nodesCreated: updates['nodesCreated'] ?? 0,
    relationshipsCreated: updates['relationshipsCreated'] ?? 0,
    propertiesSet: updates['propertiesSet'] ?? 0,
    nodesDeleted: updates['nodesDeleted'] ?? 0,
    relationshipsDeleted: updates['relationshipsDeleted'] ?? 0,
  };
}

function addCounters(into: WriteCounters, more: WriteCounters): void {
  into.nodesCreated += more.nodesCreated;
  into.relationshipsCreated += more.relationshipsCreated;
  into.propertiesSet += more.propertiesSet;
  into.nodesDeleted += more.nodesDeleted;
  into.relationshipsDeleted += more.relationshipsDeleted;
}
