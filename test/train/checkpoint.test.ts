import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csrFromPairs } from '../../src/base/csr.js';
import { readCheckpoint, warmStart, writeCheckpoint, type Checkpoint } from '../../src/train/checkpoint.js';
import { createModel } from '../../src/train/models/registry.js';
import type { Model } from '../../src/train/models/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-ckpt-'));

function model(name: string, users: number, items: number, seed: number): Model {
  const train = csrFromPairs(users, items, Int32Array.from({ length: users }, (_, u) => u), Int32Array.from({ length: users }, (_, u) => u % items));
  return createModel(name, { users, items, dim: 4, l2: 0, seed }, { train });
}

function row(m: Model, table: string, r: number): number[] {
  const t = m.tables().find((x) => x.name === table)!;
  return Array.from(t.data.subarray(r * t.dim, (r + 1) * t.dim));
}

function saved(m: Model, userIds: (string | number)[], itemIds: (string | number)[]): Checkpoint {
  const file = path.join(dir, `${m.name}-${Math.random().toString(36).slice(2)}.ckpt`);
  writeCheckpoint(file, m, userIds, itemIds);
  const back = readCheckpoint(file);
  if (typeof back === 'string') throw new Error(back);
  return back;
}

describe('checkpoints and warm starts', () => {
  it('round-trip every table of a model with its row ids', () => {
    const m = model('gmf', 3, 5, 1);
    const back = saved(m, ['a', 'b', 'c'], [10, 11, 12, 13, 14]);
    expect(back.model).toBe('gmf');
    expect(back.userIds).toEqual(['a', 'b', 'c']);
    expect(back.itemIds).toEqual([10, 11, 12, 13, 14]);
    expect(back.tables.map((t) => t.name)).toEqual(m.tables().map((t) => t.name));
    back.data.forEach((data, k) => expect(Array.from(data)).toEqual(Array.from(m.tables()[k]!.data)));
  });

  it('copy known users and items by id into a grown model; new ones keep the fresh initialisation', () => {
    const before = model('mf', 3, 4, 1);
    const ckpt = saved(before, ['a', 'b', 'c'], [1, 2, 3, 4]);
    // Ids now in another order, one user and one item new.
    const after = model('mf', 4, 5, 2);
    const freshNewUser = row(after, 'users', 1);
    const freshNewItem = row(after, 'items', 4);
    const report = warmStart(after, ckpt, ['c', 'new', 'a', 'b'], [4, 3, 2, 1, 99]);
    expect(report).toEqual({ users: { known: 3, new: 1 }, items: { known: 4, new: 1 }, copied: ['users', 'items'], fresh: [] });
    expect(row(after, 'users', 0)).toEqual(row(before, 'users', 2));
    expect(row(after, 'users', 2)).toEqual(row(before, 'users', 0));
    expect(row(after, 'users', 1)).toEqual(freshNewUser);
    expect(row(after, 'items', 0)).toEqual(row(before, 'items', 3));
    expect(row(after, 'items', 4)).toEqual(freshNewItem);
    // The served scores of known pairs are the checkpoint's.
    const score = (m: Model, u: number, i: number) => m.scoreCandidates(Int32Array.of(u), Int32Array.of(i), 1)[0];
    expect(score(after, 0, 1)).toBeCloseTo(score(before, 2, 2)!, 6);
  });

  it('map LightGCN\'s ego table, users then items, and copy GMF\'s h whole', () => {
    const before = model('lightgcn', 2, 3, 1);
    const ckpt = saved(before, [0, 1], ['x', 'y', 'z']);
    const after = model('lightgcn', 3, 3, 5);
    warmStart(after, ckpt, [1, 0, 2], ['z', 'x', 'y']);
    expect(row(after, 'ego', 0)).toEqual(row(before, 'ego', 1));
    expect(row(after, 'ego', 1)).toEqual(row(before, 'ego', 0));
    // item 'z' is row 2 of the old items (ego row 2 + 2), row 0 of the new ones (ego row 3 + 0).
    expect(row(after, 'ego', 3)).toEqual(row(before, 'ego', 4));
    const gmf = model('gmf', 2, 2, 1);
    gmf.tables().find((t) => t.name === 'h')!.data.fill(0.5);
    const next = model('gmf', 2, 3, 2);
    expect(warmStart(next, saved(gmf, [0, 1], [0, 1]), [0, 1], [0, 1, 2]).copied).toEqual(['users', 'items', 'h']);
    expect(row(next, 'h', 0)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('say why a file cannot be read', () => {
    expect(readCheckpoint(path.join(dir, 'absent.ckpt'))).toMatch(/is not on this machine/);
    const bad = path.join(dir, 'bad.ckpt');
    writeFileSync(bad, 'not a checkpoint');
    expect(readCheckpoint(bad)).toMatch(/is not a kgneg checkpoint/);
    const m = model('mf', 2, 2, 1);
    const file = path.join(dir, 'short.ckpt');
    writeCheckpoint(file, m, [0, 1], [0, 1]);
    writeFileSync(file, readFileSync(file).subarray(0, -8));
    expect(readCheckpoint(file)).toMatch(/is truncated/);
  });
});
