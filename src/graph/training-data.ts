/**
 * What the trainer needs of a dataset, read from Neo4j once per run into typed
 * arrays: the id <-> index maps (row i of an embedding table is the i-th id in
 * id order) and every interaction as (userIdx, itemIdx, split). No Neo4j type
 * and no per-example query leaves this module.
 */
import { KgnegError } from './errors.js';
import type { QueryRunner } from './query-runner.js';
import { type DatasetRecord, requireCompleteDataset } from './datasets/dataset-repository.js';
import { idIndexOf, type ExternalId, type IdIndex } from '../base/ids.js';
import { readMappedInteractions, resolveGraphMapping, sortIds } from './mapping/graph-source.js';
import { parseMapping, type GraphMapping } from './mapping/schema.js';

export const SPLIT_CODES = { train: 0, valid: 1, test: 2 } as const;
export type SplitCode = (typeof SPLIT_CODES)[keyof typeof SPLIT_CODES];

export interface InteractionTable {
  readonly userIdxs: Int32Array;
  readonly itemIdxs: Int32Array;
  /** SPLIT_CODES per interaction */
  readonly splits: Uint8Array;
}

export interface TrainingData {
  readonly dataset: DatasetRecord;
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly interactions: InteractionTable;
  /**
   * Mapped graphs: (user id, item id) pairs the graph holds that the read left
   * out (rated below the run's --min-rating); region walks must not cross them.
   */
  readonly leftOut?: readonly (readonly [ExternalId, ExternalId])[];
  readonly loadSeconds: number;
  /** When the read began (epoch ms): what arrives later is new to a run trained on this. */
  readonly readAt: number;
}

export interface LoadOptions {
  /** RecBole-style explicit ratings: keep interactions rated at least this (default: all are positives). */
  readonly minRating?: number;
  readonly onProgress?: (rows: number) => void;
}

export async function loadTrainingData(runner: QueryRunner, name: string, options: LoadOptions = {}): Promise<TrainingData> {
  const { onProgress } = options;
  const began = Date.now();
  const dataset = await requireCompleteDataset(runner, name);
  if (dataset.format === ('graph' as string)) return loadMappedTrainingData(runner, dataset, began, options);
  const users = await loadIdIndex(runner, 'train/list-user-ids', name);
  const items = await loadIdIndex(runner, 'train/list-item-ids', name);
  const total = Number((dataset as unknown as { interactions?: number }).interactions ?? 0);
  let capacity = Math.max(total, 1024);
  let userIdxs: Int32Array = new Int32Array(capacity);
  let itemIdxs: Int32Array = new Int32Array(capacity);
  let splits: Uint8Array = new Uint8Array(capacity);
  let n = 0;
  await runner.stream('train/stream-interactions', { dataset: name, minRating: options.minRating ?? null }, (fields) => {
    const [userId, itemId, split] = fields as [ExternalId, ExternalId, keyof typeof SPLIT_CODES];
    const u = users.indexOf.get(userId);
    const i = items.indexOf.get(itemId);
    const code = SPLIT_CODES[split];
    if (u === undefined || i === undefined || code === undefined) {
      throw new KgnegError(`dataset '${name}' has an interaction (${String(userId)}, ${String(itemId)}, ${String(split)}) the trainer cannot place`);
    }
    if (n === capacity) {
      capacity *= 2;
      userIdxs = grow(userIdxs, capacity);
      itemIdxs = grow(itemIdxs, capacity);
      const more = new Uint8Array(capacity);
      more.set(splits);
      splits = more;
    }
    userIdxs[n] = u;
    itemIdxs[n] = i;
    splits[n] = code;
    n += 1;
    if (onProgress && n % 100_000 === 0) onProgress(n);
  }, { restart: () => (n = 0) });
  return {
    dataset,
    users,
    items,
    interactions: { userIdxs: userIdxs.slice(0, n), itemIdxs: itemIdxs.slice(0, n), splits: splits.slice(0, n) },
    loadSeconds: (Date.now() - began) / 1000,
    readAt: began,
  };
}

export async function loadIdIndex(runner: QueryRunner, query: string, dataset: string): Promise<IdIndex> {
  const ids: ExternalId[] = [];
  await runner.stream(
    query,
    { dataset },
    (fields) => {
      ids.push(fields[0] as ExternalId);
    },
    { restart: () => (ids.length = 0) },
  );
  return idIndexOf(ids);
}

function grow(array: Int32Array, capacity: number): Int32Array {
  const next = new Int32Array(capacity);
  next.set(array);
  return next;
}

/**
 * A mapped graph: the interactions read through the mapping and split by its
 * rule and seed; users and items are those with at least one interaction, in
 * id order.
 */
async function loadMappedTrainingData(runner: QueryRunner, dataset: DatasetRecord, began: number, options: LoadOptions): Promise<TrainingData> {
  const mapping = storedGraphMapping(dataset);
  const graph = await resolveGraphMapping(runner, mapping, `the mapping of dataset '${dataset.name}'`);
  const { records } = await readMappedInteractions(runner, graph);
  const kept = options.minRating === undefined ? records : records.filter((r) => r.rating === undefined || r.rating >= options.minRating!);
  const users = idIndexOf(sortIds(new Set(kept.map((r) => r.userId))));
  const items = idIndexOf(sortIds(new Set(kept.map((r) => r.itemId))));
  const n = kept.length;
  const userIdxs = new Int32Array(n);
  const itemIdxs = new Int32Array(n);
  const splits = new Uint8Array(n);
  kept.forEach((r, k) => {
    userIdxs[k] = users.indexOf.get(r.userId)!;
    itemIdxs[k] = items.indexOf.get(r.itemId)!;
    splits[k] = SPLIT_CODES[r.split!];
  });
  const keptSet = new Set(kept);
  const leftOut = kept.length === records.length ? [] : records.filter((r) => !keptSet.has(r)).map((r) => [r.userId, r.itemId] as const);
  return { dataset, users, items, interactions: { userIdxs, itemIdxs, splits }, leftOut, loadSeconds: (Date.now() - began) / 1000, readAt: began };
}

/** The mapping a mapped dataset was registered with. */
export function storedGraphMapping(dataset: DatasetRecord): GraphMapping {
  const text = (dataset as DatasetRecord & { mappingJson?: string }).mappingJson;
  const mapping = text === undefined ? undefined : parseMapping(JSON.parse(text), `the mapping of dataset '${dataset.name}'`);
  if (!mapping || mapping.source !== 'graph') throw new KgnegError(`dataset '${dataset.name}' is marked as a mapped graph but holds no graph mapping`, { hint: `register it again: npm run migrate -- --mapping FILE --replace` });
  return mapping;
}
