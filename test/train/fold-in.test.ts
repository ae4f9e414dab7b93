import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/base/rng.js';
import { foldInUser, topKFor } from '../../src/train/fold-in.js';

/** Items in 4 clusters around orthogonal directions; a user who likes cluster c. */
function clustered(dim: number, perCluster: number, seed: number) {
  const rng = new Rng(seed);
  const clusters = 4;
  const items = new Float32Array(clusters * perCluster * dim);
  for (let c = 0; c < clusters; c += 1) {
    for (let k = 0; k < perCluster; k += 1) {
      const i = c * perCluster + k;
      for (let d = 0; d < dim; d += 1) items[i * dim + d] = (d % clusters === c ? 1 : 0) + 0.2 * (rng.nextFloat() - 0.5);
    }
  }
  return { items, clusters, perCluster };
}

describe('fold-in', () => {
  it('fits a new user from a few items: the rest of their cluster ranks first', () => {
    const dim = 8;
    const { items, perCluster } = clustered(dim, 25, 3);
    const liked = [50, 53, 58, 61, 70]; // cluster 2
    const user = foldInUser(items, dim, liked);
    const top = topKFor(user, items, dim, 10, new Set(liked));
    for (const { itemIdx } of top) expect(Math.floor(itemIdx / perCluster)).toBe(2);
    // Seeded: the same vector twice.
    expect(Array.from(foldInUser(items, dim, liked))).toEqual(Array.from(user));
  });

  it('excludes the user\'s items and keeps the lower index among ties', () => {
    const items = new Float32Array([1, 0, 1, 0, 0, 1, 1, 0]);
    const top = topKFor(new Float32Array([1, 0]), items, 2, 3, new Set([0]));
    expect(top.map((t) => t.itemIdx)).toEqual([1, 3, 2]);
  });

  it('gives a zero vector to a user without items', () => {
    expect(Array.from(foldInUser(new Float32Array(8), 2, []))).toEqual([0, 0]);
  });
});
