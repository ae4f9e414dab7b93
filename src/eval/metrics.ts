/**
 * Top-K metrics of one user's ranked list against their held-out items, summed
 * over users by MetricSums. NDCG is the standard one: IDCG is computed from
 * min(|held-out|, K) ideal hits (not from the retrieved hits, as KGAT's code does).
 */
import { sortedIncludes } from '../base/csr.js';

const METRIC_NAMES = ['recall', 'ndcg', 'hr', 'precision'] as const;

export class MetricSums {
  readonly ks: readonly number[];
  readonly #sums: Map<string, number>;
  users = 0;

  constructor(ks: readonly number[]) {
    this.ks = [...ks].sort((a, b) => a - b);
    this.#sums = new Map(this.ks.flatMap((k) => METRIC_NAMES.map((m) => [`${m}@${k}`, 0] as [string, number])));
  }

  /** ranked: item indices best first (length >= max K); truth: the user's held-out items. */
  add(ranked: Int32Array, truth: Int32Array | ReadonlySet<number>): void {
    const size = truth instanceof Int32Array ? truth.length : truth.size;
    if (size === 0) return;
    const has = truth instanceof Int32Array ? (i: number) => sortedIncludes(truth, i) : (i: number) => truth.has(i);
    this.users += 1;
    let hits = 0;
    let dcg = 0;
    let ki = 0;
    const maxK = this.ks[this.ks.length - 1] ?? 0;
    for (let r = 0; r < maxK; r += 1) {
      if (r < ranked.length && has(ranked[r]!)) {
        hits += 1;
        dcg += 1 / Math.log2(r + 2);
      }
      while (ki < this.ks.length && r + 1 === this.ks[ki]) {
        const k = this.ks[ki]!;
        let idcg = 0;
        for (let j = 0; j < Math.min(size, k); j += 1) idcg += 1 / Math.log2(j + 2);
        this.#bump(`recall@${k}`, hits / size);
        this.#bump(`ndcg@${k}`, dcg / idcg);
        this.#bump(`hr@${k}`, hits > 0 ? 1 : 0);
        this.#bump(`precision@${k}`, hits / k);
        ki += 1;
      }
    }
  }

  /** Means over the users added. */
  means(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, value] of this.#sums) out[key] = this.users === 0 ? 0 : value / this.users;
    return out;
  }

  #bump(key: string, value: number): void {
    this.#sums.set(key, (this.#sums.get(key) ?? 0) + value);
  }
}
