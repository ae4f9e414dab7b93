import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csrFromPairs } from '../../src/base/csr.js';
import type { SplitData } from '../../src/train/split-data.js';
import { readSplitFile, writeSplitFile } from '../../src/train/split-file.js';

const split: SplitData = {
  numUsers: 3,
  numItems: 5,
  train: csrFromPairs(3, 5, Int32Array.from([0, 0, 1, 2]), Int32Array.from([1, 4, 2, 0])),
  valid: csrFromPairs(3, 5, Int32Array.from([1]), Int32Array.from([3])),
  test: csrFromPairs(3, 5, Int32Array.from([0, 2]), Int32Array.from([2, 4])),
  itemCounts: Int32Array.from([1, 1, 1, 0, 1]),
  validation: { source: 'carved', ratio: 0.1, seed: 4 },
};

describe('split file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kgneg-split-'));

  it('reads back the split it wrote, array for array', () => {
    const file = path.join(dir, 'split.bin');
    writeSplitFile(file, 'tiny', split);
    const back = readSplitFile(file);
    expect(back.dataset).toBe('tiny');
    expect(back.split.numUsers).toBe(3);
    expect(back.split.numItems).toBe(5);
    expect(back.split.validation).toEqual(split.validation);
    for (const part of ['train', 'valid', 'test'] as const) {
      expect(Array.from(back.split[part].indptr)).toEqual(Array.from(split[part].indptr));
      expect(Array.from(back.split[part].indices)).toEqual(Array.from(split[part].indices));
      expect(back.split[part].cols).toBe(5);
    }
    expect(Array.from(back.split.itemCounts)).toEqual([1, 1, 1, 0, 1]);
  });

  it('names the file when it is not a split file or is cut short', () => {
    const other = path.join(dir, 'other.bin');
    writeFileSync(other, 'hello world');
    expect(() => readSplitFile(other)).toThrow(/other\.bin is not a kgneg split file/);
    const file = path.join(dir, 'split.bin');
    writeSplitFile(file, 'tiny', split);
    const cut = path.join(dir, 'cut.bin');
    writeFileSync(cut, readFileSync(file).subarray(0, readFileSync(file).length - 8));
    expect(() => readSplitFile(cut)).toThrow(/cut\.bin is truncated/);
  });
});
