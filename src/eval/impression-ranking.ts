/**
 * The two evaluation protocols for exposure data, next to full ranking:
 * - MIND's: every held-out impression ranks its own items (clicks against
 *   shown-not-clicked); AUC, MRR, nDCG@5 and nDCG@10 averaged over impressions.
 * - The RNS paper's: every user's held-out items of the split form one list
 *   (clicks and shown-not-clicked), padded with random unclicked items to a
 *   fixed length L; AUC and NDCG over the whole list, averaged over users.
 * Lists and their padding are built once per split (seeded), so every epoch
 * and every sampler is scored on the same lists.
 */
import type { ImpressionTable } from '../graph/exposures.js';
import { csrHas, type Csr } from '../base/csr.js';
import { Rng } from '../base/rng.js';
import type { FinalEmbeddings } from '../train/models/types.js';
import { auc, mrr, ndcgAt, rankOrder } from './impression-metrics.js';

/** The RNS paper's lists: user lists[m] holds rows rowptr[m] .. rowptr[m+1]. */
export interface UserLists {
  readonly userIdxs: Int32Array;
  readonly rowptr: Int32Array;
  readonly itemIdxs: Int32Array;
  readonly clicked: Uint8Array;
  readonly length: number;
  /** Users whose held-out items were all clicked or none was: no AUC, left out. */
  readonly skipped: number;
  /** Random unclicked items added to reach the length. */
  readonly padded: number;
}

export function buildUserLists(table: ImpressionTable, exclude: readonly Csr[], numItems: number, length: number, seed: number): UserLists {
  const rng = new Rng(seed ^ 0x11575);
  const perUser = new Map<number, Map<number, number>>();
  for (let m = 0; m < table.impressions; m += 1) {
    const u = table.userIdxs[m]!;
    let items = perUser.get(u);
    if (!items) perUser.set(u, (items = new Map()));
    for (let r = table.rowptr[m]!; r < table.rowptr[m + 1]!; r += 1) {
      // An item clicked in one impression and skipped in another counts as clicked.
      items.set(table.itemIdxs[r]!, Math.max(items.get(table.itemIdxs[r]!) ?? 0, table.clicked[r]!));
    }
  }
  const users: number[] = [];
  const rowptr: number[] = [0];
  const itemIdxs: number[] = [];
  const clicked: number[] = [];
  let skipped = 0;
  let padded = 0;
  for (const u of [...perUser.keys()].sort((a, b) => a - b)) {
    const items = perUser.get(u)!;
    const clicks = [...items.values()].filter((c) => c === 1).length;
    if (clicks === 0) {
      skipped += 1;
      continue;
    }
    const row = [...items.keys()].sort((a, b) => a - b);
    // Padding: items the user never interacted with (any split) and not already listed.
    for (let tries = 0; row.length < length && tries < length * 64; tries += 1) {
      const item = rng.nextInt(numItems);
      if (items.has(item) || exclude.some((csr) => csrHas(csr, u, item))) continue;
      items.set(item, 0);
      row.push(item);
      padded += 1;
    }
    if (clicks === row.length) {
      skipped += 1;
      continue;
    }
    users.push(u);
    for (const item of row) {
      itemIdxs.push(item);
      clicked.push(items.get(item)!);
    }
    rowptr.push(itemIdxs.length);
  }
  return {
    userIdxs: Int32Array.from(users),
    rowptr: Int32Array.from(rowptr),
    itemIdxs: Int32Array.from(itemIdxs),
    clicked: Uint8Array.from(clicked),
    length,
    skipped,
    padded,
  };
}

export interface ImpressionEvaluation {
  readonly metrics: Record<string, number>;
  /** Impressions without both a click and a non-click (no AUC): left out. */
  readonly skippedImpressions: number;
  readonly seconds: number;
}

/** Metric names are prefixed: imp.* (MIND protocol), list.* (RNS protocol). */
export function evaluateImpressions(embeddings: FinalEmbeddings, impressions: ImpressionTable, lists: UserLists): ImpressionEvaluation {
  const began = Date.now();
  const score = scorerOf(embeddings);
  const sums = { auc: 0, mrr: 0, ndcg5: 0, ndcg10: 0 };
  let counted = 0;
  for (let m = 0; m < impressions.impressions; m += 1) {
    const from = impressions.rowptr[m]!;
    const to = impressions.rowptr[m + 1]!;
    const labels = impressions.clicked.subarray(from, to);
    const scores = score(impressions.userIdxs[m]!, impressions.itemIdxs.subarray(from, to));
    const a = auc(scores, labels);
    if (Number.isNaN(a)) continue;
    const order = rankOrder(scores);
    sums.auc += a;
    sums.mrr += mrr(order, labels);
    sums.ndcg5 += ndcgAt(order, labels, 5);
    sums.ndcg10 += ndcgAt(order, labels, 10);
    counted += 1;
  }
  let listAuc = 0;
  let listNdcg = 0;
  const users = lists.userIdxs.length;
  for (let m = 0; m < users; m += 1) {
    const from = lists.rowptr[m]!;
    const to = lists.rowptr[m + 1]!;
    const labels = lists.clicked.subarray(from, to);
    const scores = score(lists.userIdxs[m]!, lists.itemIdxs.subarray(from, to));
    listAuc += auc(scores, labels);
    listNdcg += ndcgAt(rankOrder(scores), labels, Number.POSITIVE_INFINITY);
  }
  const mean = (x: number, n: number) => (n === 0 ? 0 : x / n);
  return {
    metrics: {
      'imp.auc': mean(sums.auc, counted),
      'imp.mrr': mean(sums.mrr, counted),
      'imp.ndcg@5': mean(sums.ndcg5, counted),
      'imp.ndcg@10': mean(sums.ndcg10, counted),
      'list.auc': mean(listAuc, users),
      'list.ndcg': mean(listNdcg, users),
    },
    skippedImpressions: impressions.impressions - counted,
    seconds: (Date.now() - began) / 1000,
  };
}

function scorerOf(embeddings: FinalEmbeddings): (user: number, items: Int32Array) => Float64Array {
  const { dim, users, items } = embeddings;
  return (user, itemIdxs) => {
    const out = new Float64Array(itemIdxs.length);
    const uOff = user * dim;
    for (let k = 0; k < itemIdxs.length; k += 1) {
      const iOff = itemIdxs[k]! * dim;
      let s = 0;
      for (let d = 0; d < dim; d += 1) s += users[uOff + d]! * items[iOff + d]!;
      out[k] = s;
    }
    return out;
  };
}
