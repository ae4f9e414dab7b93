/**
 * Impression-split datasets (MIND): a user's history clicks are always training
 * positives, so a history click may name an item the user is shown again in a
 * validation or test impression. Those (user, item) pairs must never reach
 * training, neither as positives nor as exposures; this removes them and says
 * how many it removed, and counts the held-out items cold to training.
 */
import type { ImpressionTable } from '../graph/exposures.js';
import { csrFromPairs, csrHas, csrPairs, type Csr } from '../base/csr.js';
import type { SplitData } from './split-data.js';

/** Every (user, item) pair shown in the given impressions, clicked or not. */
export function impressionPairs(tables: readonly ImpressionTable[], numUsers: number, numItems: number): Csr {
  const users: number[] = [];
  const items: number[] = [];
  for (const table of tables) {
    for (let m = 0; m < table.impressions; m += 1) {
      for (let r = table.rowptr[m]!; r < table.rowptr[m + 1]!; r += 1) {
        users.push(table.userIdxs[m]!);
        items.push(table.itemIdxs[r]!);
      }
    }
  }
  return csrFromPairs(numUsers, numItems, Int32Array.from(users), Int32Array.from(items));
}

/** csr minus the pairs of `remove`, with the count removed. */
export function withoutPairs(csr: Csr, remove: Csr): { csr: Csr; removed: number } {
  const { rowIdxs, colIdxs } = csrPairs(csr);
  const users: number[] = [];
  const items: number[] = [];
  for (let k = 0; k < rowIdxs.length; k += 1) {
    if (csrHas(remove, rowIdxs[k]!, colIdxs[k]!)) continue;
    users.push(rowIdxs[k]!);
    items.push(colIdxs[k]!);
  }
  return { csr: csrFromPairs(csr.rows, csr.cols, Int32Array.from(users), Int32Array.from(items)), removed: rowIdxs.length - users.length };
}

/** The split with held-out impression pairs taken out of train (item counts recomputed). */
export function trainWithoutHeldOut(split: SplitData, heldOut: Csr): { split: SplitData; removed: number } {
  const { csr: train, removed } = withoutPairs(split.train, heldOut);
  const itemCounts = new Int32Array(split.numItems);
  for (let k = 0; k < train.indices.length; k += 1) itemCounts[train.indices[k]!]! += 1;
  return { split: { ...split, train, itemCounts }, removed };
}

export interface ColdItems {
  /** Distinct items in the impressions. */
  readonly items: number;
  /** Of them, items with no training interaction (cold: a pure ID model knows nothing about them). */
  readonly withoutTrainClicks: number;
  /** Impression rows whose item is cold. */
  readonly coldRows: number;
}

export function coldItems(table: ImpressionTable, itemCounts: Int32Array): ColdItems {
  const seen = new Set<number>();
  let withoutTrainClicks = 0;
  let coldRows = 0;
  for (let r = 0; r < table.itemIdxs.length; r += 1) {
    const item = table.itemIdxs[r]!;
    if (itemCounts[item] === 0) coldRows += 1;
    if (seen.has(item)) continue;
    seen.add(item);
    if (itemCounts[item] === 0) withoutTrainClicks += 1;
  }
  return { items: seen.size, withoutTrainClicks, coldRows };
}
