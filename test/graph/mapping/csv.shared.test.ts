import { describe, expect, it } from 'vitest';

import { parseCsvMapping } from '../../../src/graph/datasets/formats/csv.js';
import { parseRecbole } from '../../../src/graph/datasets/formats/recbole.js';
import type { ParsedDataset } from '../../../src/graph/datasets/records.js';
import { assignSplits } from '../../../src/graph/datasets/split.js';
import { readMappingFile, type CsvMapping } from '../../../src/graph/mapping/schema.js';
import { hasSharedDatasets, sharedDataset } from '../datasets/fixtures.js';
import { writeMl100kCsv } from './ml100k-csv.js';

describe.skipIf(!hasSharedDatasets)('ml-100k as CSV and as RecBole files', () => {
  it('gives the same users, items, titles, interactions with the same splits, and the same triples', async () => {
    const recboleDir = sharedDataset('ml100k-recbole');
    const csv = await writeMl100kCsv(recboleDir, { rule: 'user-time-8-1-1', seed: 7 });
    const fromCsv = await parseCsvMapping(readMappingFile(csv.mappingPath) as CsvMapping, csv.mappingPath);
    const fromRecbole = await parseRecbole(recboleDir);
    expect(fromCsv.splitRule).toBe(fromRecbole.splitRule);
    for (const parsed of [fromCsv, fromRecbole]) assignSplits(parsed.splitRule, 7, parsed.interactions, parsed.exposures);

    const sorted = <T>(rows: T[]): T[] => rows.map((r) => JSON.stringify(r)).sort().map((r) => JSON.parse(r) as T);
    expect(sorted(fromCsv.users.map((u) => u.userId))).toEqual(sorted(fromRecbole.users.map((u) => u.userId)));
    expect(sorted(fromCsv.items.map((i) => [i.itemId, i.attributes?.title ?? null]))).toEqual(sorted(fromRecbole.items.map((i) => [i.itemId, i.attributes?.title ?? null])));
    const splits = (parsed: ParsedDataset) => sorted(parsed.interactions.map((r) => [r.userId, r.itemId, r.split, r.rating, r.timestamp]));
    expect(splits(fromCsv)).toEqual(splits(fromRecbole));
    // RecBole triples name linked entities by their Freebase id; the graph reads them back by item id.
    const itemOf = new Map(fromRecbole.items.flatMap((i) => (i.entityId === undefined ? [] : [[i.entityId, i.itemId] as const])));
    const node = (id: string | number) => itemOf.get(id) ?? id;
    const triples = (parsed: ParsedDataset, name: (id: string | number) => string | number) => sorted(parsed.triples.map((t) => [name(t.headId), t.relationId, name(t.tailId)]));
    expect(triples(fromCsv, (id) => id)).toEqual(triples(fromRecbole, node));
    expect(fromCsv.duplicates).toEqual(fromRecbole.duplicates);
    expect(fromCsv.relations.length).toBe(fromRecbole.relations.length);
  });
});
