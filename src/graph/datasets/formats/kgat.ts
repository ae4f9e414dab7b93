/**
 * KGAT layout (xiangwang1223/knowledge_graph_attention_network Data/*):
 * train.txt / test.txt hold one user per line, `user item item ...`; items are
 * entities 0..n_items-1 of the KG, so an item id doubles as its entity id.
 */
import { join } from 'node:path';

import { DatasetFormatError } from '../../errors.js';
import { DatasetBuilder, INT_IDS, type FormatParseOptions } from '../builder.js';
import { expectColumns, parseCount, parseIntId, splitFields, type LineContext } from '../fields.js';
import { readIdList, type IdListSpec } from '../id-list.js';
import { fileExists, readLines } from '../line-reader.js';
import type { ParsedDataset, Split } from '../records.js';

export const KGAT_FILES = {
  train: 'train.txt',
  test: 'test.txt',
  kg: 'kg_final.txt',
  itemEntityEdges: 'item_entity_edges.txt',
  users: 'user_list.txt',
  items: 'item_list.txt',
  relations: 'relation_list.txt',
} as const;

/** The relation given to every edge of a relation-less item-entity KG. */
export const ITEM_ENTITY_RELATION = { relationId: -1, name: 'item_entity' } as const;

export async function parseKgat(dir: string, options: FormatParseOptions = {}): Promise<ParsedDataset> {
  const b = new DatasetBuilder(options.onFileRead);
  const path = (name: string): string => join(dir, name);

  if (await fileExists(path(KGAT_FILES.users))) {
    await readKgatList(b, path(KGAT_FILES.users), (remapId, orgId) => b.addUser(remapId, orgId));
  }
  if (await fileExists(path(KGAT_FILES.items))) {
    await readKgatList(b, path(KGAT_FILES.items), (remapId, orgId, freebaseId) =>
      b.addItem(remapId, freebaseId === undefined ? { orgId } : { orgId, attributes: { freebaseId } }),
    );
  }
  await readUserLines(b, path(KGAT_FILES.train), 'train');
  await readUserLines(b, path(KGAT_FILES.test), 'test');
  for (const itemId of [...b.itemIds()]) b.addItem(itemId, { entityId: itemId });

  let relationless = false;
  if (await fileExists(path(KGAT_FILES.kg))) {
    const named = await fileExists(path(KGAT_FILES.relations));
    if (named) {
      await readKgatList(b, path(KGAT_FILES.relations), (relationId, name) => b.addRelation({ relationId, name }));
    }
    await readKg(b, path(KGAT_FILES.kg), named ? path(KGAT_FILES.relations) : undefined);
  } else if (await fileExists(path(KGAT_FILES.itemEntityEdges))) {
    relationless = true;
    b.addRelation(ITEM_ENTITY_RELATION);
    await readItemEntityEdges(b, path(KGAT_FILES.itemEntityEdges));
  }

  return b.build({ format: 'kgat', idTypes: INT_IDS, splitRule: 'fixed', relationless });
}

async function readUserLines(b: DatasetBuilder, file: string, split: Split): Promise<void> {
  for await (const { line, lineNo } of readLines(file, {
    expect: 'lines of "user item item ..." (integer ids)',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    const fields = splitFields(line, 'whitespace');
    const userId = parseIntId(ctx, fields[0] ?? '', 1, 'user');
    // A user with no items in this file still exists (KGAT's test.txt has such lines).
    b.addUser(userId);
    for (let i = 1; i < fields.length; i += 1) {
      const itemId = parseIntId(ctx, fields[i] ?? '', i + 1, 'item');
      b.addInteraction({ userId, itemId, split });
    }
  }
}

async function readKg(b: DatasetBuilder, file: string, relationList: string | undefined): Promise<void> {
  const names = ['head', 'relation', 'tail'];
  for await (const { line, lineNo } of readLines(file, {
    expect: 'lines of "head relation tail" (integer ids)',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    const fields = splitFields(line, 'whitespace');
    expectColumns(ctx, fields, names, 'whitespace');
    const headId = parseIntId(ctx, fields[0] ?? '', 1, 'head');
    const relationId = parseIntId(ctx, fields[1] ?? '', 2, 'relation');
    const tailId = parseIntId(ctx, fields[2] ?? '', 3, 'tail');
    if (!b.hasRelation(relationId)) {
      if (relationList !== undefined) {
        throw new DatasetFormatError(file, lineNo, `relation ${relationId} is not listed in ${relationList}`);
      }
      b.addRelation({ relationId, name: `r${relationId}` });
    }
    b.addTriple({ headId, relationId, tailId });
  }
}

async function readItemEntityEdges(b: DatasetBuilder, file: string): Promise<void> {
  const names = ['item', 'entity', 'count'];
  for await (const { line, lineNo } of readLines(file, {
    expect: 'lines of "item entity count" (integers)',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    const fields = splitFields(line, 'whitespace');
    expectColumns(ctx, fields, names, 'whitespace');
    const headId = parseIntId(ctx, fields[0] ?? '', 1, 'item');
    const tailId = parseIntId(ctx, fields[1] ?? '', 2, 'entity');
    const count = parseCount(ctx, fields[2] ?? '', 3, 'count');
    if (!b.hasItem(headId)) {
      throw new DatasetFormatError(
        file,
        lineNo,
        `item ${headId} in column 1 is not an item (not in ${KGAT_FILES.items}, ${KGAT_FILES.train} or ${KGAT_FILES.test})`,
        'the first column of item_entity_edges.txt must be an item id',
      );
    }
    b.addTriple({ headId, relationId: ITEM_ENTITY_RELATION.relationId, tailId, count });
  }
}

/**
 * KGAT's *_list.txt: `org_id remap_id [freebase_id]` per id, usually under a
 * header naming those columns, sometimes without it (see id-list.ts). A
 * remap id listed twice is an error because the two org ids could not both
 * be right.
 */
const KGAT_LIST: IdListSpec = {
  separator: 'whitespace',
  columns: ['org_id', 'remap_id', 'freebase_id'],
  required: 2,
  idColumn: 1,
  isHeader: (fields) => fields[0] === 'org_id' && fields[1] === 'remap_id' && (fields.length === 2 || (fields.length === 3 && fields[2] === 'freebase_id')),
  headers: '"org_id remap_id" or "org_id remap_id freebase_id"',
  duplicate: (id, earlier) => `remap_id ${id} is already listed on line ${earlier}`,
};

async function readKgatList(
  b: DatasetBuilder,
  file: string,
  onRow: (remapId: number, orgId: string, extra: string | undefined) => void,
): Promise<void> {
  await readIdList(file, KGAT_LIST, b.recordFile, ({ id, fields }) => onRow(id, fields[0] ?? '', fields[2]));
}
