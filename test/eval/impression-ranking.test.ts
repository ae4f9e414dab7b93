import { describe, expect, it } from 'vitest';
import type { ImpressionTable } from '../../src/graph/exposures.js';
import { auc, mrr, ndcgAt, rankOrder } from '../../src/eval/impression-metrics.js';
import { buildUserLists, evaluateImpressions } from '../../src/eval/impression-ranking.js';
import { csrFromPairs, csrHas } from '../../src/base/csr.js';

describe('impression metrics (MIND evaluate.py definitions)', () => {
  // Scores rank the items c, a, d, b; a and d were clicked.
  const scores = Float32Array.of(0.8, 0.1, 0.9, 0.5);
  const clicked = Uint8Array.of(1, 0, 0, 1);

  it('AUC is the share of (click, non-click) pairs ordered right, ties half', () => {
    // Pairs: (a,b) right, (a,c) wrong, (d,b) right, (d,c) wrong: 2 of 4.
    expect(auc(scores, clicked)).toBe(0.5);
    expect(auc(Float32Array.of(1, 1), Uint8Array.of(1, 0))).toBe(0.5);
    expect(auc(scores, Uint8Array.of(1, 1, 1, 1))).toBeNaN();
  });

  it('MRR and nDCG@k follow the ranked order', () => {
    const order = rankOrder(scores);
    expect([...order]).toEqual([2, 0, 3, 1]);
    // Clicks at ranks 2 and 3: (1/2 + 1/3) / 2.
    expect(mrr(order, clicked)).toBeCloseTo((1 / 2 + 1 / 3) / 2, 10);
    // DCG@5 = 1/log2(3) + 1/log2(4); IDCG = 1 + 1/log2(3).
    expect(ndcgAt(order, clicked, 5)).toBeCloseTo((1 / Math.log2(3) + 1 / 2) / (1 + 1 / Math.log2(3)), 10);
    // @1: the top item is not a click.
    expect(ndcgAt(order, clicked, 1)).toBe(0);
  });
});

describe('the two exposure protocols', () => {
  // Two impressions of user 0 and one of user 1 over 10 items.
  const table: ImpressionTable = {
    impressions: 3,
    impressionIds: [1, 2, 3],
    rowptr: Int32Array.of(0, 3, 5, 8),
    userIdxs: Int32Array.of(0, 0, 1),
    itemIdxs: Int32Array.of(1, 2, 3, 2, 4, 5, 6, 7),
    clicked: Uint8Array.of(1, 0, 0, 1, 0, 0, 1, 0),
    seconds: 0,
  };
  // Training items keep each user's padding away from the other user's clicks.
  const train = csrFromPairs(2, 10, Int32Array.of(0, 0, 0, 1, 1, 1), Int32Array.of(6, 8, 9, 0, 1, 2));

  it('user lists merge a user\'s impressions (clicked anywhere counts as clicked) and pad with items never interacted', () => {
    const lists = buildUserLists(table, [train], 10, 6, 1);
    expect([...lists.userIdxs]).toEqual([0, 1]);
    // User 0: items 1 (click), 2 (clicked in impression 2), 3, 4, padded to 6 with items other than 6, 8 and 9.
    const user0 = lists.itemIdxs.subarray(0, lists.rowptr[1]);
    expect(user0.length).toBe(6);
    expect(new Set(user0).size).toBe(6);
    for (const item of user0) expect(csrHas(train, 0, item)).toBe(false);
    const clicks0 = [...user0].filter((_, k) => lists.clicked[k] === 1);
    expect(clicks0.sort()).toEqual([1, 2]);
    expect(lists.padded).toBe(2 + 3);
    // The same seed gives the same padding.
    expect([...buildUserLists(table, [train], 10, 6, 1).itemIdxs]).toEqual([...lists.itemIdxs]);
  });

  it('evaluates both protocols on final embeddings: a scorer that knows the clicks gets AUC and NDCG near 1, its reverse AUC 0', () => {
    // 1-d embeddings: user vector 1, item vector 1 for clicked items, 0 otherwise.
    const items = new Float32Array(10);
    for (const i of [1, 2, 6]) items[i] = 1;
    const embeddings = { dim: 1, users: Float32Array.of(1, 1), items };
    const lists = buildUserLists(table, [train], 10, 6, 1);
    const result = evaluateImpressions(embeddings, table, lists);
    // Impression 1 shows item 2 unclicked, which the scorer ties with its click: AUC 0.75 there, 1 in the others.
    expect(result.metrics['imp.auc']).toBeCloseTo(2.75 / 3, 10);
    // Ties keep the impression's order (item 1 before item 2).
    expect(result.metrics['imp.mrr']).toBe(1);
    expect(result.metrics['imp.ndcg@10']).toBe(1);
    expect(result.metrics['list.auc']).toBe(1);
    expect(result.metrics['list.ndcg']).toBe(1);
    // Reversed scores: every click ranked below every non-click.
    const reversed = evaluateImpressions({ ...embeddings, users: Float32Array.of(-1, -1) }, table, lists);
    expect(reversed.metrics['imp.auc']).toBeCloseTo(0.25 / 3, 10);
    expect(reversed.metrics['list.auc']).toBe(0);
  });
});
