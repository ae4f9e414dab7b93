import { describe, expect, it } from 'vitest';
import { MetricSums } from '../../src/eval/metrics.js';

describe('MetricSums', () => {
  it('computes recall, standard NDCG, HR and precision on a hand-checked list', () => {
    const sums = new MetricSums([2, 4]);
    // Held-out {1, 5, 9}; ranked 5, 7, 1, 3: hits at ranks 1 and 3.
    sums.add(Int32Array.from([5, 7, 1, 3]), Int32Array.from([1, 5, 9]));
    const m = sums.means();
    expect(m['recall@2']).toBeCloseTo(1 / 3, 10);
    expect(m['precision@2']).toBeCloseTo(1 / 2, 10);
    expect(m['hr@2']).toBe(1);
    expect(m['ndcg@2']).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 10);
    expect(m['recall@4']).toBeCloseTo(2 / 3, 10);
    const dcg = 1 + 1 / Math.log2(4);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(m['ndcg@4']).toBeCloseTo(dcg / idcg, 10);
  });

  it('averages over users and skips users without held-out items', () => {
    const sums = new MetricSums([1]);
    sums.add(Int32Array.from([1]), Int32Array.from([1]));
    sums.add(Int32Array.from([2]), Int32Array.from([1]));
    sums.add(Int32Array.from([2]), Int32Array.from([]));
    expect(sums.users).toBe(2);
    expect(sums.means()['recall@1']).toBe(0.5);
  });
});
