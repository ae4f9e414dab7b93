import { describe, expect, it } from 'vitest';

import { DatasetFormatError } from '../../../src/graph/errors.js';
import {
  expectColumns,
  parseCount,
  parseFloatField,
  parseIntId,
  parseStringId,
  splitFields,
} from '../../../src/graph/datasets/fields.js';

const ctx = { file: 'data/kg_final.txt', lineNo: 7 };

function errorOf(fn: () => unknown): DatasetFormatError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetFormatError);
    return error as DatasetFormatError;
  }
  throw new Error('expected a DatasetFormatError');
}

describe('splitFields', () => {
  it('splits on every tab, keeping empty fields', () => {
    expect(splitFields('a\t\tb', 'tab')).toEqual(['a', '', 'b']);
  });
  it('splits on runs of whitespace, ignoring the ends', () => {
    expect(splitFields('  1 2\t 3  ', 'whitespace')).toEqual(['1', '2', '3']);
  });
});

describe('expectColumns', () => {
  it('names the expected columns and the count found', () => {
    const e = errorOf(() => expectColumns(ctx, ['1', '2'], ['head', 'relation', 'tail'], 'tab'));
    expect(e.message).toBe('data/kg_final.txt:7: expected 3 tab-separated columns (head relation tail), found 2');
    expect(e.line).toBe(7);
  });
  it('hints at spaces when a tab-separated line has none', () => {
    const e = errorOf(() => expectColumns(ctx, ['1 2 3'], ['head', 'relation', 'tail'], 'tab'));
    expect(e.hint).toMatch(/tab/);
  });
  it('accepts more columns with atLeast', () => {
    expect(() => expectColumns(ctx, ['1', '2', '3', '4'], ['a', 'b'], 'whitespace', true)).not.toThrow();
  });
});

describe('parseIntId', () => {
  it('reads decimal digits', () => {
    expect(parseIntId(ctx, '0', 1, 'user')).toBe(0);
    expect(parseIntId(ctx, '123', 1, 'user')).toBe(123);
    expect(parseIntId(ctx, String(Number.MAX_SAFE_INTEGER), 1, 'user')).toBe(Number.MAX_SAFE_INTEGER);
  });
  it.each(['abc', '', '-1', '1.5', '1e3', ' 1', '0x10', '+1', '9007199254740993'])('rejects %j', (text) => {
    const e = errorOf(() => parseIntId(ctx, text, 2, 'item'));
    expect(e.message).toContain(`expected an integer id in column 2 (item), found ${JSON.stringify(text)}`);
  });
});

describe('parseFloatField / parseCount / parseStringId', () => {
  it('reads decimal numbers and rejects the rest', () => {
    expect(parseFloatField(ctx, '3', 3, 'rating')).toBe(3);
    expect(parseFloatField(ctx, '-2.5e1', 3, 'rating')).toBe(-25);
    expect(parseFloatField(ctx, '.5', 3, 'rating')).toBe(0.5);
    for (const bad of ['', 'NaN', 'Infinity', '0x1', 'five', '1,5']) {
      expect(() => parseFloatField(ctx, bad, 3, 'rating')).toThrow(DatasetFormatError);
    }
  });
  it('wants counts of at least 1', () => {
    expect(parseCount(ctx, '2', 3, 'count')).toBe(2);
    expect(() => parseCount(ctx, '0', 3, 'count')).toThrow(/positive integer in column 3 \(count\)/);
  });
  it('keeps string ids verbatim but not empty', () => {
    expect(parseStringId(ctx, ' "x" ', 1, 'user')).toBe(' "x" ');
    expect(() => parseStringId(ctx, '', 1, 'user')).toThrow(/empty field/);
  });
});
