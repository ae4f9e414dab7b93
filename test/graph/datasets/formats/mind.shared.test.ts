import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseMind } from '../../../../src/graph/datasets/formats/mind.js';
import { fileLines, hasSharedDatasets, sharedDataset } from '../fixtures.js';

describe.skipIf(!hasSharedDatasets)('parseMind on mind-small-5k', () => {
  const dir = sharedDataset('mind-small-5k');

  it('gives the counts computed directly from the files', async () => {
    const parsed = await parseMind(dir);

    const users = new Set<string>();
    const items = new Set<string>();
    const historyPairs = new Set<string>();
    let historyClicks = 0;
    let impressionClicks = 0;
    const exposureKeys = new Set<string>();
    let exposureOccurrences = 0;
    for (const line of fileLines(join(dir, 'behaviors.tsv'))) {
      const [impression, user, , history, shown] = line.split('\t') as [string, string, string, string, string];
      users.add(user);
      for (const id of history.split(' ').filter(Boolean)) {
        items.add(id);
        historyPairs.add(`${user} ${id}`);
        historyClicks += 1;
      }
      for (const token of shown.split(' ')) {
        const [id, label] = [token.slice(0, -2), token.slice(-1)];
        items.add(id);
        if (label === '1') impressionClicks += 1;
        else {
          exposureKeys.add(`${user} ${id} ${impression}`);
          exposureOccurrences += 1;
        }
      }
    }
    const newsIds = new Set(fileLines(join(dir, 'news.tsv')).map((l) => l.split('\t')[0]));
    const described = [...items].filter((id) => newsIds.has(id)).length;

    expect([users.size, items.size, impressionClicks, historyClicks, exposureOccurrences]).toEqual([
      4_637, 22_592, 7_542, 159_802, 181_817,
    ]);
    expect(described).toBe(838);

    expect(parsed.format).toBe('mind');
    expect(parsed.splitRule).toBe('impression-8-1-1');
    expect(parsed.users.length).toBe(users.size);
    expect(parsed.items.length).toBe(items.size);
    const history = parsed.interactions.filter((r) => r.source === 'history');
    const clicks = parsed.interactions.filter((r) => r.source === 'impression');
    expect(history.length).toBe(historyPairs.size);
    expect(history.every((r) => r.split === 'train' && r.impressionId === undefined)).toBe(true);
    expect(clicks.length).toBe(impressionClicks);
    expect(clicks.every((r) => r.split === null && typeof r.impressionId === 'number' && typeof r.timestamp === 'number')).toBe(true);
    expect(parsed.exposures.length).toBe(exposureKeys.size);
    expect(parsed.exposures.reduce((sum, e) => sum + e.count, 0)).toBe(exposureOccurrences);
    // History repeats across a user's logs (and inside one history) fold into one click each.
    expect(parsed.duplicates).toEqual({
      interactions: historyClicks - historyPairs.size,
      exposures: exposureOccurrences - exposureKeys.size,
      triples: 0,
    });
    expect(parsed.items.filter((i) => i.attributes !== undefined).length).toBe(described);
    expect([parsed.triples.length, parsed.relations.length, parsed.entities.length, parsed.relationless]).toEqual([0, 0, 0, false]);
    expect(parsed.exposures[0]).toEqual({
      userId: 'U81994',
      itemId: 'N43266',
      impressionId: 58_376,
      timestamp: Date.UTC(2019, 10, 12, 14, 14, 46) / 1000,
      count: 1,
      split: null,
    });
  });
});
