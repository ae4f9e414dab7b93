import { describe, expect, it } from 'vitest';
import { PruneCache } from '../../../src/sampling/kgpolicy/prune-cache.js';

describe('PruneCache', () => {
  it('returns a stored row per hop and node until invalidated, and counts hits and misses', () => {
    const cache = new PruneCache(5, 2, 3);
    expect(cache.get(1, 4)).toBeUndefined();
    cache.set(1, 4, Int32Array.from([7, 8]));
    cache.set(2, 4, Int32Array.from([1, 2, 3]));
    expect(Array.from(cache.get(1, 4)!)).toEqual([7, 8]);
    expect(Array.from(cache.get(2, 4)!)).toEqual([1, 2, 3]);
    // Rows of other nodes are untouched.
    expect(cache.get(1, 3)).toBeUndefined();
    cache.invalidate();
    expect(cache.get(1, 4)).toBeUndefined();
    expect(cache.get(2, 4)).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([2, 4]);
  });
});
