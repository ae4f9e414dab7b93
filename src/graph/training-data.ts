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
  readonly loadSeconds: number;
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
