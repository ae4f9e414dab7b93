import { describe, expect, it } from 'vitest';
import { maskRow, topK } from '../../src/eval/top-k.js';
import { Rng } from '../../src/base/rng.js';

describe('topK', () => {
  it('equals sorting the row with the excluded (masked) columns removed', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 50; trial += 1) {
      const n = 50 + rng.nextInt(200);
      const scores = Float32Array.from({ length: n }, () => rng.nextFloat());
      const excluded = Int32Array.from(new Set(Array.from({ length: 20 }, () => rng.nextInt(n)))).sort();
      const k = 1 + rng.nextInt(30);
      const out = new Int32Array(k);
      const masked = scores.slice();
      maskRow(masked, 0, excluded);
      const got = topK(masked, 0, n, k, out);
      const want = Array.from({ length: n }, (_, j) => j)
        .filter((j) => !excluded.includes(j))
        .sort((a, b) => scores[b]! - scores[a]! || a - b)
        .slice(0, k);
      expect(Array.from(out.subarray(0, got))).toEqual(want);
    }
  });

  it('keeps the lower column among equal scores, however many are equal', () => {
    const rng = new Rng(8);
    for (let trial = 0; trial < 200; trial += 1) {
      const n = 20 + rng.nextInt(300);
      const scores = Float32Array.from({ length: n }, () => rng.nextInt(4));
      const k = 1 + rng.nextInt(40);
      const out = new Int32Array(k);
      const got = topK(scores, 0, n, k, out);
      const want = Array.from({ length: n }, (_, j) => j)
        .sort((a, b) => scores[b]! - scores[a]! || a - b)
        .slice(0, k);
      expect(Array.from(out.subarray(0, got))).toEqual(want);
    }
  });

  it('returns fewer than K when fewer columns are allowed', () => {
    const scores = Float32Array.from([0.5, -Infinity, 0.7]);
    const out = new Int32Array(5);
    expect(topK(scores, 0, 3, 5, out)).toBe(2);
    expect(Array.from(out.subarray(0, 2))).toEqual([2, 0]);
  });
});
