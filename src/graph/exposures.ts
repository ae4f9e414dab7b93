/**
 * Exposure records out of Neo4j into typed arrays in the trainer's index space:
 * the training exposures per user (batched by user, concurrent), and the
 * impressions of the validation and test splits for evaluation.
 */
import { KgnegError } from './errors.js';
import type { QueryRunner } from './query-runner.js';
import type { IdIndex } from '../base/ids.js';
import type { ExternalId } from '../base/ids.js';
import { loadMappedExposures, mappedGraphOf } from './mapping/kg-source.js';

export interface ExposureTable {
  /** [pairs] (user, item) pairs of exposed-but-not-interacted training items, grouped by user */
  readonly userIdxs: Int32Array;
  readonly itemIdxs: Int32Array;
  /** Times the item was shown to the user in training impressions. */
  readonly counts: Int32Array;
  /** Users with at least one such item. */
  readonly usersWithExposures: number;
  readonly seconds: number;
}

export interface ExposureLoadOptions {
  readonly batchSize?: number;
  readonly concurrency?: number;
}

/** Users per query: a MIND user has ~40 exposures, so 500 users return ~20k rows. */
const USERS_PER_BATCH = 500;

export async function loadTrainExposures(
  runner: QueryRunner,
  dataset: string,
  users: IdIndex,
  items: IdIndex,
  options: ExposureLoadOptions = {},
): Promise<ExposureTable> {
  const mapped = await mappedGraphOf(runner, dataset);
  if (mapped) return loadMappedExposures(runner, mapped, users, items);
  const began = Date.now();
  const u: number[] = [];
  const i: number[] = [];
  const c: number[] = [];
  let usersWithExposures = 0;
  await runner.readBatches(
    'exposures/exposed-items-by-user',
    users.ids,
    (fields) => {
      const [userId, itemIds, counts] = fields as [ExternalId, ExternalId[], number[]];
      const userIdx = users.indexOf.get(userId);
      if (userIdx === undefined) throw new KgnegError(`dataset '${dataset}' returned exposures for unknown user ${String(userId)}`);
      usersWithExposures += 1;
      itemIds.forEach((itemId, k) => {
        const itemIdx = items.indexOf.get(itemId);
        if (itemIdx === undefined) {
          throw new KgnegError(`dataset '${dataset}' has an exposure (${String(userId)}, ${String(itemId)}) the trainer cannot place`);
        }
        u.push(userIdx);
        i.push(itemIdx);
        c.push(counts[k]!);
      });
    },
    { params: { dataset }, batchSize: options.batchSize ?? USERS_PER_BATCH, ...(options.concurrency ? { concurrency: options.concurrency } : {}) },
  );
  return {
    userIdxs: Int32Array.from(u),
    itemIdxs: Int32Array.from(i),
    counts: Int32Array.from(c),
    usersWithExposures,
    seconds: (Date.now() - began) / 1000,
  };
}

/** One split's impressions: impression m holds rows rowptr[m] .. rowptr[m+1]. */
export interface ImpressionTable {
  readonly impressions: number;
  /** [impressions] the dataset's impression ids, in table order */
  readonly impressionIds: readonly ExternalId[];
  /** [impressions + 1] */
  readonly rowptr: Int32Array;
  /** [impressions] */
  readonly userIdxs: Int32Array;
  /** [rows] */
  readonly itemIdxs: Int32Array;
  /** [rows] 1 = clicked, 0 = shown and not clicked */
  readonly clicked: Uint8Array;
  readonly seconds: number;
}

export async function loadHeldOutImpressions(
  runner: QueryRunner,
  dataset: string,
  split: 'valid' | 'test',
  users: IdIndex,
  items: IdIndex,
): Promise<ImpressionTable> {
  const began = Date.now();
  const byImpression = new Map<string, { id: ExternalId; user: number; items: number[]; clicked: number[] }>();
  await runner.stream('exposures/stream-heldout-impressions', { dataset, split }, (fields) => {
    const [impressionId, userId, itemId, clicked] = fields as [ExternalId, ExternalId, ExternalId, boolean];
    const userIdx = users.indexOf.get(userId);
    const itemIdx = items.indexOf.get(itemId);
    if (userIdx === undefined || itemIdx === undefined) {
      throw new KgnegError(`dataset '${dataset}' has an impression row (${String(userId)}, ${String(itemId)}) the evaluation cannot place`);
    }
    // JSON keys keep impression 7 and impression "7" apart, as the split does.
    const key = JSON.stringify(impressionId);
    let entry = byImpression.get(key);
    if (!entry) {
      entry = { id: impressionId, user: userIdx, items: [], clicked: [] };
      byImpression.set(key, entry);
    }
    entry.items.push(itemIdx);
    entry.clicked.push(clicked ? 1 : 0);
  }, { restart: () => byImpression.clear() });
  // Sorted keys: the table's order must not depend on the order Neo4j streams rows.
  const keys = [...byImpression.keys()].sort();
  const rowptr = new Int32Array(keys.length + 1);
  const userIdxs = new Int32Array(keys.length);
  let rows = 0;
  for (const entry of byImpression.values()) rows += entry.items.length;
  const itemIdxs = new Int32Array(rows);
  const clicked = new Uint8Array(rows);
  let n = 0;
  keys.forEach((key, m) => {
    const entry = byImpression.get(key)!;
    // Within an impression, order by item so that ties in score are broken the same way every run.
    const order = entry.items.map((_, k) => k).sort((a, b) => entry.items[a]! - entry.items[b]! || entry.clicked[b]! - entry.clicked[a]!);
    userIdxs[m] = entry.user;
    for (const k of order) {
      itemIdxs[n] = entry.items[k]!;
      clicked[n] = entry.clicked[k]!;
      n += 1;
    }
    rowptr[m + 1] = n;
  });
  return { impressions: keys.length, impressionIds: keys.map((key) => byImpression.get(key)!.id), rowptr, userIdxs, itemIdxs, clicked, seconds: (Date.now() - began) / 1000 };
}
