/**
 * Ranking metrics of one scored list of items with click labels: AUC (ties
 * count half), MRR and nDCG@k as MIND's evaluation script defines them (gain
 * 2^y - 1, discount log2(rank + 1)), and the whole-list NDCG of the RNS paper.
 * Rank order is by score, best first; equal scores keep the list's order, so a
 * caller that orders its lists deterministically gets deterministic metrics.
 */

/** Positions of the list by descending score (stable). */
export function rankOrder(scores: Float32Array | Float64Array): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, k) => k);
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** P(score of a random click > score of a random non-click); NaN without both. */
export function auc(scores: Float32Array | Float64Array, clicked: Uint8Array): number {
  let wins = 0;
  let pos = 0;
  let neg = 0;
  for (let p = 0; p < scores.length; p += 1) {
    if (clicked[p] !== 1) continue;
    pos += 1;
    for (let n = 0; n < scores.length; n += 1) {
      if (clicked[n] === 1) continue;
      if (scores[p]! > scores[n]!) wins += 1;
      else if (scores[p] === scores[n]) wins += 0.5;
    }
  }
  for (let n = 0; n < scores.length; n += 1) if (clicked[n] !== 1) neg += 1;
  return pos === 0 || neg === 0 ? Number.NaN : wins / (pos * neg);
}

/** MIND's mrr_score: mean reciprocal rank of the clicks. */
export function mrr(order: Int32Array, clicked: Uint8Array): number {
  let sum = 0;
  let clicks = 0;
  for (let r = 0; r < order.length; r += 1) {
    if (clicked[order[r]!] === 1) {
      sum += 1 / (r + 1);
      clicks += 1;
    }
  }
  return clicks === 0 ? Number.NaN : sum / clicks;
}

/** MIND's ndcg_score at k (k = Infinity: the whole list, the RNS paper's NDCG). */
export function ndcgAt(order: Int32Array, clicked: Uint8Array, k: number): number {
  const depth = Math.min(k, order.length);
  let clicks = 0;
  for (let p = 0; p < clicked.length; p += 1) clicks += clicked[p] === 1 ? 1 : 0;
  if (clicks === 0) return Number.NaN;
  let dcg = 0;
  for (let r = 0; r < depth; r += 1) if (clicked[order[r]!] === 1) dcg += 1 / Math.log2(r + 2);
  let idcg = 0;
  for (let r = 0; r < Math.min(clicks, depth); r += 1) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}
