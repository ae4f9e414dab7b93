import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseKgcn } from '../../../../src/graph/datasets/formats/kgcn.js';
import { fileLines, hasSharedDatasets, sharedDataset } from '../fixtures.js';

describe.skipIf(!hasSharedDatasets)('parseKgcn on lastfm-kgcn', () => {
  const dir = sharedDataset('lastfm-kgcn');

  it('gives the counts computed directly from the files', async () => {
    const parsed = await parseKgcn(dir);

    const rows = fileLines(join(dir, 'ratings_final.txt')).map((l) => l.split('\t'));
    const users = new Set(rows.map((r) => r[0]));
    const positives = new Set(rows.filter((r) => r[2] === '1').map((r) => `${r[0]} ${r[1]}`));
    const items = new Set(rows.map((r) => r[1]));
    for (const line of fileLines(join(dir, 'item_index2entity_id.txt'))) items.add(line.split('\t')[1]);
    const kg = fileLines(join(dir, 'kg_final.txt')).map((l) => l.split('\t'));
    const relations = new Set(kg.map((t) => t[1]));
    const kgEntities = new Set(kg.flatMap((t) => [t[0], t[2]]));
    const nonItemEntities = [...kgEntities].filter((e) => !items.has(e));

    expect([users.size, positives.size, items.size]).toEqual([1_872, 21_173, 3_846]);
    expect(rows.length - positives.size).toBe(21_173);
    expect([kg.length, kgEntities.size, relations.size]).toEqual([15_518, 9_366, 60]);

    expect(parsed.format).toBe('kgcn');
    expect(parsed.splitRule).toBe('random-6-2-2');
    expect(parsed.users.length).toBe(users.size);
    expect(parsed.interactions.length).toBe(positives.size);
    expect(parsed.interactions.every((r) => r.split === null)).toBe(true);
    expect(parsed.items.length).toBe(items.size);
    expect(parsed.items.every((i) => i.entityId === i.itemId)).toBe(true);
    expect(parsed.triples.length).toBe(kg.length);
    expect(parsed.relations.length).toBe(relations.size);
    expect(parsed.entities.length).toBe(nonItemEntities.length);
    expect(parsed.relations[0]).toEqual({ relationId: 0, name: 'music.artist.origin' });
    expect(parsed.items.find((i) => i.itemId === 0)?.orgId).toBe('2');
    expect(parsed.duplicates).toEqual({ interactions: 0, exposures: 0, triples: 0 });
    expect(parsed.sourceFiles.map((f) => f.path.slice(dir.length + 1))).toEqual([
      'item_index2entity_id.txt',
      'kg.txt',
      'kg_final.txt',
      'ratings_final.txt',
    ]);
  });
});
