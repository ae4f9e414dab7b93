import { describe, expect, it } from 'vitest';

import { parseDataset } from '../../../src/graph/datasets/parse.js';
import type { DatasetFormat } from '../../../src/graph/datasets/records.js';
import { hasSharedDatasets, sharedDataset } from './fixtures.js';

describe('parseDataset', () => {
  it.skipIf(!hasSharedDatasets)('parses every shared dataset by detection', async () => {
    const formats: Record<string, DatasetFormat> = {
      'lastfm-kgcn': 'kgcn',
      'amazon-book-kgat': 'kgat',
      'ml100k-recbole': 'recbole',
      'mind-small-5k': 'mind',
    };
    for (const [name, format] of Object.entries(formats)) {
      expect((await parseDataset(sharedDataset(name))).format).toBe(format);
    }
  });
});
