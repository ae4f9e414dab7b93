import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseKgat } from '../../../../src/graph/datasets/formats/kgat.js';
import { fileLines, hasSharedDatasets, sharedDataset } from '../fixtures.js';

describe.skipIf(!hasSharedDatasets)('parseKgat on amazon-book-kgat', () => {
  const dir = sharedDataset('amazon-book-kgat');

  it('gives the counts computed directly from the files', async () => {
    const started = performance.now();
    const parsed = await parseKgat(dir);
    const seconds = (performance.now() - started) / 1000;

    // Independent counts: whole-file reads, string sets, no shared code.
    const users = new Set<string>();
    const items = new Set<string>();
    const pairs: Record<'train' | 'test', number> = { train: 0, test: 0 };
    for (const split of ['train', 'test'] as const) {
      for (const line of fileLines(join(dir, `${split}.txt`))) {
        const [user, ...rest] = line.trim().split(' ');
        users.add(user ?? '');
        for (const item of rest) items.add(item);
        pairs[split] += rest.length;
      }
    }
    for (const line of fileLines(join(dir, 'user_list.txt')).slice(1)) users.add(line.split(' ')[1] ?? '');
    for (const line of fileLines(join(dir, 'item_list.txt')).slice(1)) items.add(line.split(' ')[1] ?? '');
    const edges = fileLines(join(dir, 'item_entity_edges.txt'));
    const nonItemEntities = new Set(edges.map((l) => l.split(' ')[1] ?? '').filter((e) => !items.has(e)));

    expect(users.size).toBe(70_679);
    expect(items.size).toBe(24_915);
    expect(pairs).toEqual({ train: 652_514, test: 193_920 });
    expect(edges.length).toBe(277_285);

    expect(parsed.format).toBe('kgat');
    expect(parsed.splitRule).toBe('fixed');
    expect(parsed.relationless).toBe(true);
    expect(parsed.users.length).toBe(users.size);
    expect(parsed.items.length).toBe(items.size);
    expect(parsed.interactions.filter((r) => r.split === 'train').length).toBe(pairs.train);
    expect(parsed.interactions.filter((r) => r.split === 'test').length).toBe(pairs.test);
    expect(parsed.triples.length).toBe(edges.length);
    expect(parsed.entities.length).toBe(nonItemEntities.size);
    expect(parsed.relations).toEqual([{ relationId: -1, name: 'item_entity' }]);
    expect(parsed.duplicates).toEqual({ interactions: 0, exposures: 0, triples: 0 });
    expect(parsed.items.every((i) => i.entityId === i.itemId)).toBe(true);
    expect(parsed.items[0]).toMatchObject({ itemId: 0, orgId: '0553092626', attributes: { freebaseId: 'm.045wq1q' } });
    expect(parsed.users[0]).toEqual({ userId: 0, orgId: 'A3RTKL9KB8KLID' });
    expect(parsed.triples[0]).toEqual({ headId: 0, relationId: -1, tailId: 23, count: 1 });

    // The relation-less KG reads neither relation_list.txt nor entity_list.txt.
    const read = parsed.sourceFiles.map((f) => f.path.slice(dir.length + 1));
    expect(read).toEqual(['item_entity_edges.txt', 'item_list.txt', 'test.txt', 'train.txt', 'user_list.txt']);
    for (const f of parsed.sourceFiles) {
      expect(f.sha256).toBe(createHash('sha256').update(readFileSync(f.path)).digest('hex'));
    }
    // A guard against a pathological slowdown only (about 3 s on a quiet 2-core machine, 14 s with the
    // unit files running side by side under load); its speed is measured by `npm run bench -- ingest`.
    expect(seconds).toBeLessThan(60);
  });
});
