import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { detectFormat } from '../../../../src/graph/datasets/formats/detect.js';
import { expectFormatError, useTempDirs } from '../fixtures.js';

const makeDir = useTempDirs();

describe('detectFormat', () => {
  it('goes by file names', async () => {
    expect(await detectFormat(await makeDir({ 'train.txt': '', 'test.txt': '' }))).toBe('kgat');
    expect(await detectFormat(await makeDir({ 'ratings_final.txt': '' }))).toBe('kgcn');
    expect(await detectFormat(await makeDir({ 'x.inter': '', 'x.kg': '' }))).toBe('recbole');
    expect(await detectFormat(await makeDir({ 'behaviors.tsv': '' }))).toBe('mind');
  });

  it('names what each format needs when none matches', async () => {
    const dir = await makeDir({ 'train.txt': '', 'notes.md': '' });
    const e = await expectFormatError(detectFormat(dir), { file: dir, message: /^.*: unknown dataset format: / });
    for (const need of ['kgat needs train.txt and test.txt', 'kgcn needs ratings_final.txt', 'recbole needs exactly one <name>.inter', 'mind needs behaviors.tsv']) {
      expect(e.message).toContain(need);
    }
    expect(e.message).toContain('found notes.md, train.txt');
  });

  it('refuses to guess between two formats', async () => {
    const dir = await makeDir({ 'ratings_final.txt': '', 'behaviors.tsv': '' });
    await expectFormatError(detectFormat(dir), { file: dir, message: 'ambiguous dataset format: the files match kgcn and mind' });
  });

  it('explains several .inter files', async () => {
    const dir = await makeDir({ 'a.inter': '', 'b.inter': '' });
    const e = await expectFormatError(detectFormat(dir), { file: dir, message: /unknown dataset format/ });
    expect(e.hint).toContain('a.inter, b.inter');
  });

  it('reports a directory that does not exist, and a file given as the directory', async () => {
    const dir = await makeDir({ 'train.txt': '' });
    await expectFormatError(detectFormat(join(dir, 'nope')), { file: 'nope', message: 'dataset directory does not exist' });
    await expectFormatError(detectFormat(join(dir, 'train.txt')), { file: 'train.txt', message: /expected a dataset directory/ });
  });
});
