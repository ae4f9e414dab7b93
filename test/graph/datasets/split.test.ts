import { describe, expect, it } from 'vitest';

import { KgnegError } from '../../../src/graph/errors.js';
import {
  interactionKey,
  type ExposureRecord,
  type InteractionRecord,
  type Split,
  type SplitRule,
} from '../../../src/graph/datasets/records.js';
import { assignSplits, hash32, recboleSplitCounts, SPLIT_RULE_DESCRIPTIONS } from '../../../src/graph/datasets/split.js';

function interactions(n: number): InteractionRecord[] {
  return Array.from({ length: n }, (_, i) => ({ userId: i % 37, itemId: i, split: null }));
}

function splitsByKey(records: readonly InteractionRecord[]): Map<string, Split | null> {
  return new Map(records.map((r) => [interactionKey(r), r.split]));
}

function countSplits(records: readonly { split: Split | null }[]): Record<Split, number> {
  const counts: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  for (const r of records) if (r.split !== null) counts[r.split] += 1;
  return counts;
}

/** A seeded shuffle, so the test itself is repeatable. */
function shuffled<T>(values: readonly T[], seed: number): T[] {
  const out = [...values];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const fresh = (records: readonly InteractionRecord[]): InteractionRecord[] => records.map((r) => ({ ...r, split: null }));

describe('hash32', () => {
  it('is MurmurHash3 x86 32 (reference vectors)', () => {
    expect(hash32(0, '')).toBe(0);
    expect(hash32(1, '')).toBe(0x514e28b7);
    expect(hash32(0, 'hello')).toBe(0x248bfa47);
    expect(hash32(1234, 'Hello, world!')).toBe(0xfaf6cdb3);
    expect(hash32(0x9747b28c, 'The quick brown fox jumps over the lazy dog')).toBe(0x2fa826cd);
  });
});

describe('recboleSplitCounts', () => {
  it('matches RecBole _calcu_split_ids for 8:1:1', () => {
    const table: Array<[number, [number, number, number]]> = [
      [0, [0, 0, 0]],
      [1, [1, 0, 0]],
      [2, [1, 0, 1]],
      [3, [1, 1, 1]],
      [4, [2, 1, 1]],
      [9, [7, 1, 1]],
      [10, [8, 1, 1]],
      [19, [17, 1, 1]],
      [20, [16, 2, 2]],
      [29, [25, 2, 2]],
      [30, [24, 3, 3]],
      [100, [80, 10, 10]],
    ];
    for (const [n, counts] of table) expect([n, recboleSplitCounts(n, [0.8, 0.1, 0.1])]).toEqual([n, counts]);
  });
});

describe('assignSplits', () => {
  it('has a description for every rule', () => {
    expect(Object.keys(SPLIT_RULE_DESCRIPTIONS).sort()).toEqual(['fixed', 'impression-8-1-1', 'random-6-2-2', 'user-time-8-1-1']);
  });

  it('random-6-2-2: exact counts', () => {
    for (const [n, expected] of [
      [10, { train: 6, valid: 2, test: 2 }],
      [7, { train: 4, valid: 1, test: 2 }],
      [21_173, { train: 12_704, valid: 4_235, test: 4_234 }],
    ] as const) {
      const records = interactions(n);
      assignSplits('random-6-2-2', 42, records, []);
      expect(countSplits(records)).toEqual(expected);
    }
  });

  it('random-6-2-2: same seed, same split, whatever the input order', () => {
    const a = interactions(500);
    const b = shuffled(fresh(a), 7);
    assignSplits('random-6-2-2', 42, a, []);
    assignSplits('random-6-2-2', 42, b, []);
    expect(splitsByKey(b)).toEqual(splitsByKey(a));
  });

  it('random-6-2-2: another seed, another split', () => {
    const a = interactions(500);
    const b = fresh(a);
    assignSplits('random-6-2-2', 1, a, []);
    assignSplits('random-6-2-2', 2, b, []);
    const differing = a.filter((r, i) => r.split !== b[i]?.split).length;
    expect(differing).toBeGreaterThan(100);
  });

  it('user-time-8-1-1: oldest to train, newest to test, RecBole counts per user', () => {
    const at = (userId: string, itemId: string, timestamp?: number): InteractionRecord => ({
      userId,
      itemId,
      split: null,
      ...(timestamp === undefined ? {} : { timestamp }),
    });
    const records = [
      at('solo', 'a', 5),
      at('pair', 'late', 20),
      at('pair', 'early', 10),
      at('three', 'c', 3),
      at('three', 'a', 1),
      at('three', 'b', 2),
      ...Array.from({ length: 10 }, (_, i) => at('ten', `i${i}`, 100 - i)),
    ];
    assignSplits('user-time-8-1-1', 3, records, []);
    const split = (user: string, item: string): Split | null | undefined =>
      records.find((r) => r.userId === user && r.itemId === item)?.split;
    expect(split('solo', 'a')).toBe('train');
    expect([split('pair', 'early'), split('pair', 'late')]).toEqual(['train', 'test']);
    expect([split('three', 'a'), split('three', 'b'), split('three', 'c')]).toEqual(['train', 'valid', 'test']);
    // i9 is the oldest (time 91), i0 the newest (time 100).
    expect(Array.from({ length: 10 }, (_, i) => split('ten', `i${9 - i}`))).toEqual([
      ...Array<Split>(8).fill('train'),
      'valid',
      'test',
    ]);
  });

  it('user-time-8-1-1: equal times are ordered by the seeded hash, not input order', () => {
    const a: InteractionRecord[] = Array.from({ length: 30 }, (_, i) => ({ userId: 'u', itemId: `i${i}`, split: null, timestamp: 7 }));
    const b = shuffled(fresh(a), 11);
    assignSplits('user-time-8-1-1', 5, a, []);
    assignSplits('user-time-8-1-1', 5, b, []);
    expect(splitsByKey(b)).toEqual(splitsByKey(a));
    expect(countSplits(a)).toEqual({ train: 24, valid: 3, test: 3 });
    const c = fresh(a);
    assignSplits('user-time-8-1-1', 6, c, []);
    expect(splitsByKey(c)).not.toEqual(splitsByKey(a));
  });

  it('impression-8-1-1: a log keeps together, history stays in train', () => {
    const records: InteractionRecord[] = [];
    const exposures: ExposureRecord[] = [];
    for (let imp = 0; imp < 100; imp += 1) {
      records.push({ userId: `U${imp % 9}`, itemId: `N${imp}`, split: null, impressionId: imp, source: 'impression' });
      for (let k = 0; k < 3; k += 1) {
        exposures.push({ userId: `U${imp % 9}`, itemId: `N${imp + k + 1}`, impressionId: imp, count: 1, split: null });
      }
    }
    for (let u = 0; u < 9; u += 1) records.push({ userId: `U${u}`, itemId: 'N0', split: 'train', source: 'history' });

    assignSplits('impression-8-1-1', 9, records, exposures);
    const byImpression = new Map<number, Set<Split | null>>();
    for (const r of [...records, ...exposures]) {
      if (r.impressionId === undefined) continue;
      const set = byImpression.get(Number(r.impressionId)) ?? new Set();
      set.add(r.split);
      byImpression.set(Number(r.impressionId), set);
    }
    expect([...byImpression.values()].every((s) => s.size === 1 && !s.has(null))).toBe(true);
    expect(records.filter((r) => r.source === 'history').every((r) => r.split === 'train')).toBe(true);
    expect(countSplits(records.filter((r) => r.source === 'impression'))).toEqual({ train: 80, valid: 10, test: 10 });

    const again = shuffled(fresh(records), 3).map((r) => (r.source === 'history' ? { ...r, split: 'train' as const } : r));
    const againExposures = shuffled(exposures.map((e) => ({ ...e, split: null })), 4);
    assignSplits('impression-8-1-1', 9, again, againExposures);
    expect(splitsByKey(again)).toEqual(splitsByKey(records));
  });

  it('fixed: keeps the file splits and refuses records without one', () => {
    const records: InteractionRecord[] = [{ userId: 1, itemId: 2, split: 'test' }];
    assignSplits('fixed', 0, records, []);
    expect(records[0]?.split).toBe('test');
    expect(() => assignSplits('fixed', 0, [{ userId: 1, itemId: 2, split: null }], [])).toThrow(KgnegError);
  });

  it('makes exposures training data under the rules that split interactions alone, and refuses bad seeds', () => {
    for (const rule of ['random-6-2-2', 'user-time-8-1-1'] as SplitRule[]) {
      const exposures: ExposureRecord[] = [
        { userId: 1, itemId: 2, impressionId: '', count: 1, split: null },
        { userId: 2, itemId: 5, impressionId: '', count: 3, split: null, timestamp: 99 },
      ];
      const records = interactions(30);
      assignSplits(rule, 0, records, exposures);
      expect(exposures.map((e) => e.split)).toEqual(['train', 'train']);
      expect(records.every((r) => r.split !== null)).toBe(true);
    }
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => assignSplits('random-6-2-2', seed, interactions(3), [])).toThrow(/seed/);
    }
  });
});
