/**
 * The Three-Region Principle's regions (RecNS §3.1), extracted by the database:
 * for every user, the set of items reachable by a walk of `khop` edges over the
 * training interactions (cypher/regions/lbfs-reachable-items.cypher), returned
 * as a per-user bitset over item indices.
 *
 * Why bitsets: regions are large (amazon-book khop 3: a median of ~7,200 of
 * 24,915 items per user, ~544M user-item pairs; khop 5: nearly every item), far
 * too many to store as relationships or as an index list (2.2 GB as Int32), but
 * one bit per (user, item) is 220 MB for amazon-book whatever khop is, and a
 * membership test is one word read. The trainer subtracts its own training items
 * to get the intermediate region; the distant region is the complement.
 */
import type { QueryRunner } from './query-runner.js';
import type { IdIndex } from '../base/ids.js';
import type { ExternalId } from '../base/ids.js';
import { KgnegError } from './errors.js';
import { idParam } from './values.js';

const REGION_KHOPS = [1, 3, 5, 7] as const;

export interface ReachableItemSets {
  readonly khop: number;
  readonly users: number;
  readonly items: number;
  readonly wordsPerUser: number;
  /** [users * wordsPerUser]: bit (i & 31) of word (u * wordsPerUser + (i >>> 5)) says item i is reachable from user u. */
  readonly bits: Uint32Array;
}

export interface ExtractOptions {
  readonly dataset: string;
  readonly khop: number;
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly minRating?: number;
  /** Only these user indices (a benchmark's sample); the other users' sets stay empty. Default: every user. */
  readonly onlyUsers?: Int32Array;
  /** Users per transaction (default 100) and transactions at a time (default 2). */
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly onProgress?: (usersDone: number, usersTotal: number) => void;
}

function emptyReachableItemSets(khop: number, users: number, items: number): ReachableItemSets {
  const wordsPerUser = Math.ceil(items / 32);
  return { khop, users, items, wordsPerUser, bits: new Uint32Array(users * wordsPerUser) };
}

export function checkKhop(khop: number): void {
  if (!(REGION_KHOPS as readonly number[]).includes(khop)) {
    throw new KgnegError(`--khop must be one of ${REGION_KHOPS.join(', ')} (an odd walk length ends on an item), got ${khop}`, { exitCode: 2 });
  }
}

export async function extractReachableItems(runner: QueryRunner, options: ExtractOptions): Promise<ReachableItemSets> {
  checkKhop(options.khop);
  const sets = emptyReachableItemSets(options.khop, options.users.ids.length, options.items.ids.length);
  const { wordsPerUser, bits } = sets;
  const userIds = options.onlyUsers ? Array.from(options.onlyUsers, (u) => idParam(options.users.ids[u]!)) : options.users.ids.map(idParam);
  await runner.readBatches(
    'regions/lbfs-reachable-items',
    userIds,
    (fields) => {
      const [userId, itemIds] = fields as [ExternalId, ExternalId[]];
      const u = options.users.indexOf.get(userId);
      if (u === undefined) throw new KgnegError(`region extraction returned an unknown user ${String(userId)}`);
      const base = u * wordsPerUser;
      for (const itemId of itemIds) {
        const i = options.items.indexOf.get(itemId);
        if (i === undefined) throw new KgnegError(`region extraction returned an unknown item ${String(itemId)}`);
        bits[base + (i >>> 5)]! |= 1 << (i & 31);
      }
    },
    {
      params: { dataset: options.dataset, khop: options.khop, minRating: options.minRating ?? null },
      batchSize: options.batchSize ?? 100,
      concurrency: options.concurrency ?? 2,
      onProgress: (p) => options.onProgress?.(p.rowsDone, p.rowsTotal),
    },
  );
  return sets;
}

/** The database hits of one batch of the extraction, from the Cypher profile. */
export async function profileRegionBatch(runner: QueryRunner, options: Pick<ExtractOptions, 'dataset' | 'khop' | 'minRating'> & { readonly userIds: readonly ExternalId[] }) {
  return runner.profileDbHits('regions/lbfs-reachable-items', {
    dataset: options.dataset,
    khop: options.khop,
    minRating: options.minRating ?? null,
    batch: options.userIds.map(idParam),
  });
}
