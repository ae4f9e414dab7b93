/**
 * The Three-Region Principle's regions (RecNS §3.1), extracted by the database:
 * for every user, the set of items reachable by a walk of `khop` edges over the
 * trainer's training pairs (cypher/regions/lbfs-reachable-items.cypher, or
 * cypher/mapped/ on a mapped graph), returned as a per-user bitset over item
 * indices.
 *
 * The walk's edges are exactly the trainer's: the query walks what the
 * database holds as training interactions (kgneg's stored train split, or every
 * mapped interaction) and is given the pairs among them that the trainer does
 * not train on (validation carved from train, MIND's pairs seen again in a
 * held-out impression, a mapped graph's derived valid/test pairs). Without
 * that, a carved validation item is reached from its own user in three edges
 * and would be drawn as an intermediate-region negative.
 *
 * Why bitsets: regions are large (amazon-book khop 3: a median of ~7,200 of
 * 24,915 items per user, ~544M user-item pairs; khop 5: nearly every item), far
 * too many to store as relationships or as an index list (2.2 GB as Int32), but
 * one bit per (user, item) is 220 MB for amazon-book whatever khop is, and a
 * membership test is one word read. The trainer subtracts its own training items
 * to get the intermediate region; the distant region is the complement.
 */
import type { QueryRunner } from './query-runner.js';
import { csrHas, type Csr } from '../base/csr.js';
import type { ExternalId } from '../base/ids.js';
import type { CypherSlots } from './cypher.js';
import { KgnegError } from './errors.js';
import { mappedGraphOf } from './mapping/kg-source.js';
import { QuotedName } from './mapping/names.js';
import { SPLIT_CODES, type TrainingData } from './training-data.js';
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
  readonly data: TrainingData;
  /** The trainer's training pairs, user index -> item indices: the walk goes over exactly these. */
  readonly train: Csr;
  readonly khop: number;
  /** The --min-rating the data was loaded with (kgneg's own layout reads it again in the walk). */
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

/** The query, its slots and the parameters every batch shares, for the dataset's layout. */
export interface RegionQuery {
  readonly name: string;
  readonly slots?: CypherSlots;
  readonly params: Record<string, unknown>;
  /** Pairs the database holds as training interactions that the trainer leaves out. */
  readonly excludedPairs: number;
}

export async function regionQuery(runner: QueryRunner, options: Pick<ExtractOptions, 'data' | 'train' | 'khop' | 'minRating'>): Promise<RegionQuery> {
  const { data, train } = options;
  const graph = await mappedGraphOf(runner, data.dataset.name);
  const excluded = new Map<string, unknown[]>();
  let excludedPairs = 0;
  const exclude = (userId: ExternalId, itemId: ExternalId) => {
    const key = String(userId);
    let list = excluded.get(key);
    if (!list) excluded.set(key, (list = []));
    list.push(idParam(itemId));
    excludedPairs += 1;
  };
  const { userIdxs, itemIdxs, splits } = data.interactions;
  for (let k = 0; k < splits.length; k += 1) {
    // kgneg's own layout walks only the stored train split; a mapped graph walks every interaction.
    if (!graph && splits[k] !== SPLIT_CODES.train) continue;
    const u = userIdxs[k]!;
    const i = itemIdxs[k]!;
    if (!csrHas(train, u, i)) exclude(data.users.ids[u]!, data.items.ids[i]!);
  }
  for (const [userId, itemId] of data.leftOut ?? []) exclude(userId, itemId);
  const shared = { khop: options.khop, excluded: Object.fromEntries(excluded) };
  if (!graph) return { name: 'regions/lbfs-reachable-items', params: { ...shared, dataset: data.dataset.name, minRating: options.minRating ?? null }, excludedPairs };
  const rated = graph.mapping.interactions.filter((entry) => entry.minRating !== undefined && entry.rating !== undefined);
  return {
    name: 'mapped/lbfs-reachable-items',
    slots: { userLabel: graph.userLabel, itemLabel: graph.itemLabel, types: QuotedName.list(graph.interactionTypes), userId: graph.userId, itemId: graph.itemId },
    params: {
      ...shared,
      minRatings: Object.fromEntries(rated.map((entry) => [entry.type, entry.minRating])),
      ratingOf: Object.fromEntries(rated.map((entry) => [entry.type, entry.rating])),
    },
    excludedPairs,
  };
}

export async function extractReachableItems(runner: QueryRunner, options: ExtractOptions): Promise<ReachableItemSets> {
  checkKhop(options.khop);
  const { users, items } = options.data;
  const sets = emptyReachableItemSets(options.khop, users.ids.length, items.ids.length);
  const { wordsPerUser, bits } = sets;
  const query = await regionQuery(runner, options);
  const userIds = options.onlyUsers ? Array.from(options.onlyUsers, (u) => idParam(users.ids[u]!)) : users.ids.map(idParam);
  await runner.readBatches(
    query.name,
    userIds,
    (fields) => {
      const [userId, itemIds] = fields as [ExternalId, ExternalId[]];
      const u = users.indexOf.get(userId);
      if (u === undefined) throw new KgnegError(`region extraction returned an unknown user ${String(userId)}`);
      const base = u * wordsPerUser;
      for (const itemId of itemIds) {
        const i = items.indexOf.get(itemId);
        if (i === undefined) throw new KgnegError(`region extraction returned an unknown item ${String(itemId)}`);
        bits[base + (i >>> 5)]! |= 1 << (i & 31);
      }
    },
    {
      params: query.params,
      ...(query.slots ? { slots: query.slots } : {}),
      batchSize: options.batchSize ?? 100,
      concurrency: options.concurrency ?? 2,
      onProgress: (p) => options.onProgress?.(p.rowsDone, p.rowsTotal),
    },
  );
  return sets;
}

/** The database hits of one batch of the extraction, from the Cypher profile. */
export async function profileRegionBatch(runner: QueryRunner, options: Pick<ExtractOptions, 'data' | 'train' | 'khop' | 'minRating'> & { readonly userIds: readonly ExternalId[] }) {
  const query = await regionQuery(runner, options);
  return runner.profileDbHits(query.name, { ...query.params, batch: options.userIds.map(idParam) }, query.slots);
}
