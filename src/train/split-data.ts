/**
 * The trainer's view of a dataset: CSRs of train, validation and test items per
 * user. Datasets ingested with a validation split use it; datasets with only
 * train/test (KGAT's fixed split) get one carved from train here, seeded and
 * recorded: `validRatio` of each user's training items (users with fewer than
 * 3 keep all), so model selection never looks at the test split.
 */
import { csrFromPairs, csrPairs, type Csr } from '../base/csr.js';
import { Rng } from '../base/rng.js';
import { SPLIT_CODES, type TrainingData } from '../graph/training-data.js';

export interface SplitData {
  readonly numUsers: number;
  readonly numItems: number;
  readonly train: Csr;
  readonly valid: Csr;
  readonly test: Csr;
  /** Training interactions per item (popularity). */
  readonly itemCounts: Int32Array;
  /** 'dataset' when the ingested split had validation interactions, else how it was carved. */
  readonly validation: { readonly source: 'dataset' | 'carved'; readonly ratio?: number; readonly seed?: number };
}

const DEFAULT_VALID_RATIO = 0.1;

export function splitTrainingData(data: TrainingData, seed: number, validRatio = DEFAULT_VALID_RATIO): SplitData {
  const { userIdxs, itemIdxs, splits } = data.interactions;
  const numUsers = data.users.ids.length;
  const numItems = data.items.ids.length;
  const pick = (code: number) => {
    let n = 0;
    for (let k = 0; k < splits.length; k += 1) if (splits[k] === code) n += 1;
    const u = new Int32Array(n);
    const i = new Int32Array(n);
    n = 0;
    for (let k = 0; k < splits.length; k += 1) {
      if (splits[k] === code) {
        u[n] = userIdxs[k]!;
        i[n] = itemIdxs[k]!;
        n += 1;
      }
    }
    return { u, i };
  };
  const trainPairs = pick(SPLIT_CODES.train);
  const validPairs = pick(SPLIT_CODES.valid);
  const testPairs = pick(SPLIT_CODES.test);
  let train = csrFromPairs(numUsers, numItems, trainPairs.u, trainPairs.i);
  let valid = csrFromPairs(numUsers, numItems, validPairs.u, validPairs.i);
  let validation: SplitData['validation'] = { source: 'dataset' };
  if (validPairs.u.length === 0) {
    ({ train, valid } = carveValidation(train, validRatio, seed));
    validation = { source: 'carved', ratio: validRatio, seed };
  }
  const itemCounts = new Int32Array(numItems);
  for (let k = 0; k < train.indices.length; k += 1) itemCounts[train.indices[k]!]! += 1;
  return {
    numUsers,
    numItems,
    train,
    valid,
    test: csrFromPairs(numUsers, numItems, testPairs.u, testPairs.i),
    itemCounts,
    validation,
  };
}

function carveValidation(train: Csr, ratio: number, seed: number): { train: Csr; valid: Csr } {
  const rng = new Rng(seed ^ 0x5eed);
  const keepU: number[] = [];
  const keepI: number[] = [];
  const validU: number[] = [];
  const validI: number[] = [];
  for (let u = 0; u < train.rows; u += 1) {
    const items = train.indices.slice(train.indptr[u]!, train.indptr[u + 1]!);
    const take = items.length >= 3 ? Math.max(1, Math.round(items.length * ratio)) : 0;
    rng.shuffle(items);
    items.forEach((item, k) => {
      (k < take ? validU : keepU).push(u);
      (k < take ? validI : keepI).push(item);
    });
  }
  return {
    train: csrFromPairs(train.rows, train.cols, Int32Array.from(keepU), Int32Array.from(keepI)),
    valid: csrFromPairs(train.rows, train.cols, Int32Array.from(validU), Int32Array.from(validI)),
  };
}

/** The split with its validation interactions moved back into train (for a refit after model selection). */
export function mergeValidation(split: SplitData): SplitData {
  const { rowIdxs: tu, colIdxs: ti } = csrPairs(split.train);
  const { rowIdxs: vu, colIdxs: vi } = csrPairs(split.valid);
  const users = new Int32Array(tu.length + vu.length);
  users.set(tu);
  users.set(vu, tu.length);
  const items = new Int32Array(ti.length + vi.length);
  items.set(ti);
  items.set(vi, ti.length);
  const train = csrFromPairs(split.numUsers, split.numItems, users, items);
  const itemCounts = new Int32Array(split.numItems);
  for (let k = 0; k < train.indices.length; k += 1) itemCounts[train.indices[k]!]! += 1;
  const empty = csrFromPairs(split.numUsers, split.numItems, new Int32Array(0), new Int32Array(0));
  return { ...split, train, valid: empty, itemCounts };
}
