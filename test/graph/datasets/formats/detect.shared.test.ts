import { describe, expect, it } from 'vitest';

import { detectFormat } from '../../../../src/graph/datasets/formats/detect.js';
import { hasSharedDatasets, sharedDataset } from '../fixtures.js';

describe('detectFormat', () => {
  it.skipIf(!hasSharedDatasets)('recognises each shared dataset', async () => {
    expect(await detectFormat(sharedDataset('amazon-book-kgat'))).toBe('kgat');
    expect(await detectFormat(sharedDataset('lastfm-kgcn'))).toBe('kgcn');
    expect(await detectFormat(sharedDataset('ml100k-recbole'))).toBe('recbole');
    expect(await detectFormat(sharedDataset('mind-small-5k'))).toBe('mind');
  });
});
