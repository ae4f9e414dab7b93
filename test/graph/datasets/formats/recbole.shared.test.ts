import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseRecbole } from '../../../../src/graph/datasets/formats/recbole.js';
import { fileLines, hasSharedDatasets, sharedDataset } from '../fixtures.js';

describe.skipIf(!hasSharedDatasets)('parseRecbole on ml100k-recbole', () => {
  const dir = sharedDataset('ml100k-recbole');

  it('gives the counts computed directly from the files', async () => {
    const parsed = await parseRecbole(dir);

    const inter = fileLines(join(dir, 'ml-100k.inter')).slice(1).map((l) => l.split('\t'));
    const users = new Set(inter.map((r) => r[0]));
    const items = new Set(inter.map((r) => r[1]));
    const link = new Map(fileLines(join(dir, 'ml-100k.link')).slice(1).map((l) => l.split('\t') as [string, string]));
    for (const item of link.keys()) items.add(item);
    const linkedEntities = new Set(link.values());
    const kgLines = fileLines(join(dir, 'ml-100k.kg')).slice(1);
    const kg = [...new Set(kgLines)].map((l) => l.split('\t'));
    const relations = new Set(kg.map((t) => t[1]));
    const entities = new Set(kg.flatMap((t) => [t[0], t[2]]).filter((e) => !linkedEntities.has(e ?? '')));

    expect([users.size, items.size, inter.length]).toEqual([943, 1_682, 100_000]);
    expect([kgLines.length, kg.length, relations.size]).toEqual([91_631, 91_631, 24]);

    expect(parsed.format).toBe('recbole');
    expect(parsed.splitRule).toBe('user-time-8-1-1');
    expect(parsed.idTypes).toEqual({ user: 'string', item: 'string', entity: 'string', relation: 'string' });
    expect(parsed.users.length).toBe(users.size);
    expect(parsed.items.length).toBe(items.size);
    expect(parsed.interactions.length).toBe(inter.length);
    expect(parsed.triples.length).toBe(kg.length);
    expect(parsed.duplicates).toEqual({ interactions: 0, exposures: 0, triples: kgLines.length - kg.length });
    expect(parsed.relations.length).toBe(relations.size);
    expect(parsed.entities.length).toBe(entities.size);
    expect(parsed.items.filter((i) => i.entityId !== undefined).length).toBe(link.size);
    expect(parsed.interactions[0]).toEqual({ userId: '196', itemId: '242', split: null, rating: 3, timestamp: 881_250_949 });
    expect(parsed.items.find((i) => i.itemId === '476')?.entityId).toBe('m.08gjyx');
    // .user is not read; .item only gives items their title, year and genres.
    expect(parsed.sourceFiles.map((f) => f.path.slice(dir.length + 1))).toEqual(['ml-100k.inter', 'ml-100k.item', 'ml-100k.kg', 'ml-100k.link']);
    expect(parsed.itemAttributeFiles).toEqual([join(dir, 'ml-100k.item')]);
  });

  it('gives every item its title, year and genres from ml-100k.item', async () => {
    const parsed = await parseRecbole(dir);
    const [header, ...rows] = fileLines(join(dir, 'ml-100k.item'));
    expect(header).toBe('item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq');
    const byId = new Map(parsed.items.map((i) => [i.itemId, i]));
    expect(rows.length).toBe(1_682);
    for (const row of rows) {
      const [id = '', title] = row.split('\t');
      expect(byId.get(id)?.attributes?.title).toBe(title);
    }
    expect(byId.get('1')?.attributes).toEqual({ title: 'Toy Story', year: 1995, genres: ['Animation', "Children's", 'Comedy'] });
    // The file's own oddities: a placeholder row, and a year that is not one.
    expect(byId.get('267')?.attributes).toEqual({ title: 'unkonwn', genres: ['unknown'] });
    expect(byId.get('1412')?.attributes).toEqual({
      title: 'Land Before Time III: The Time of the Great Giving (1995)',
      genres: ['Animation', "Children's"],
    });
    expect(parsed.items.filter((i) => i.attributes?.year !== undefined).length).toBe(1_680);
  });
});
