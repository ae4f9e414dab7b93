/**
 * KGCN layout (hwwang55/KGCN data/*): ratings_final.txt `user item label`,
 * kg_final.txt `head relation tail`, all tab-separated integers; item indices
 * are also entity ids. Label-0 rows are negatives sampled by the preprocessing
 * script, not feedback, so they are validated but not kept.
 */
import { join } from 'node:path';

import { DatasetFormatError } from '../../errors.js';
import { DatasetBuilder, INT_IDS, type FormatParseOptions } from '../builder.js';
import { expectColumns, parseIntId, quote, type LineContext } from '../fields.js';
import { readIdList, type IdListSpec } from '../id-list.js';
import { fileExists, readLines, type Line } from '../line-reader.js';
import type { ParsedDataset } from '../records.js';

export const KGCN_FILES = {
  ratings: 'ratings_final.txt',
  kg: 'kg_final.txt',
  kgNames: 'kg.txt',
  itemIndex: 'item_index2entity_id.txt',
} as const;

export async function parseKgcn(dir: string, options: FormatParseOptions = {}): Promise<ParsedDataset> {
  const b = new DatasetBuilder(options.onFileRead);
  await readRatings(b, join(dir, KGCN_FILES.ratings));
  if (await fileExists(join(dir, KGCN_FILES.itemIndex))) await readItemIndex(b, join(dir, KGCN_FILES.itemIndex));
  for (const itemId of [...b.itemIds()]) b.addItem(itemId, { entityId: itemId });

  const namesFile = join(dir, KGCN_FILES.kgNames);
  await readKg(b, join(dir, KGCN_FILES.kg), (await fileExists(namesFile)) ? namesFile : undefined);

  return b.build({ format: 'kgcn', idTypes: INT_IDS, splitRule: 'random-6-2-2', relationless: false });
}

async function readRatings(b: DatasetBuilder, file: string): Promise<void> {
  const names = ['user', 'item', 'label'];
  for await (const { line, lineNo } of readLines(file, {
    expect: 'tab-separated lines of "user item label"',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    const fields = line.split('\t');
    expectColumns(ctx, fields, names, 'tab');
    const userId = parseIntId(ctx, fields[0] ?? '', 1, 'user');
    const itemId = parseIntId(ctx, fields[1] ?? '', 2, 'item');
    const label = fields[2];
    if (label !== '0' && label !== '1') {
      throw new DatasetFormatError(file, lineNo, `expected 0 or 1 in column 3 (label), found ${quote(label ?? '')}`);
    }
    b.addUser(userId);
    b.addItem(itemId);
    if (label === '1') b.addInteraction({ userId, itemId, split: null });
  }
}

/**
 * `orgArtistId<TAB>itemIndex`, with or without a header line (see
 * id-list.ts). The format names no header, so any line of two column names
 * (letters and underscores, no digits, e.g. "item_id<TAB>item_index") is
 * taken for one; a first line with an id in it is a row and must parse.
 */
const ITEM_INDEX_LIST: IdListSpec = {
  separator: 'tab',
  columns: ['original_item_id', 'item_index'],
  required: 2,
  idColumn: 1,
  isHeader: (fields) => fields.length === 2 && fields.every((f) => COLUMN_NAME.test(f)),
  headers: 'two column names such as "item_id<TAB>item_index"',
  duplicate: (id, earlier) => `item index ${id} is already mapped on line ${earlier}`,
};
const COLUMN_NAME = /^[A-Za-z][A-Za-z_]*$/;

/** Gives items their raw id, and items with no rating. */
async function readItemIndex(b: DatasetBuilder, file: string): Promise<void> {
  await readIdList(file, ITEM_INDEX_LIST, b.recordFile, ({ id, fields }) => b.addItem(id, { orgId: fields[0] ?? '' }));
}

/**
 * kg.txt is kg_final.txt before the relations were numbered, line for line:
 * it is read in step with kg_final.txt and only lends relation names.
 */
async function readKg(b: DatasetBuilder, file: string, namesFile: string | undefined): Promise<void> {
  const names = ['head', 'relation', 'tail'];
  const named = namesFile === undefined ? undefined : readLines(namesFile, {
    expect: 'tab-separated lines of "head relation_name tail"',
    onSourceFile: b.recordFile,
  });
  const relationNames = new Map<number, { name: string; lineNo: number }>();
  try {
    for await (const { line, lineNo } of readLines(file, {
      expect: 'tab-separated lines of "head relation tail" (integer ids)',
      onSourceFile: b.recordFile,
    })) {
      const ctx: LineContext = { file, lineNo };
      const fields = line.split('\t');
      expectColumns(ctx, fields, names, 'tab');
      const headId = parseIntId(ctx, fields[0] ?? '', 1, 'head');
      const relationId = parseIntId(ctx, fields[1] ?? '', 2, 'relation');
      const tailId = parseIntId(ctx, fields[2] ?? '', 3, 'tail');
      let name = `r${relationId}`;
      if (named !== undefined && namesFile !== undefined) {
        const match = matchNamedLine(namesFile, await named.next(), { file, lineNo }, headId, tailId);
        name = match.name;
        const known = relationNames.get(relationId);
        if (known !== undefined && known.name !== name) {
          throw new DatasetFormatError(
            namesFile,
            match.lineNo,
            `relation ${relationId} is named ${quote(name)} here but ${quote(known.name)} on line ${known.lineNo}`,
          );
        }
        if (known === undefined) relationNames.set(relationId, match);
      }
      b.addRelation({ relationId, name });
      b.addTriple({ headId, relationId, tailId });
    }
    if (named !== undefined && namesFile !== undefined) {
      const extra = await named.next();
      if (!extra.done) {
        throw new DatasetFormatError(namesFile, extra.value.lineNo, `has more lines than ${file}; the two files must match line for line`);
      }
    }
  } finally {
    await named?.return();
  }
}

function matchNamedLine(
  namesFile: string,
  next: IteratorResult<Line, void>,
  kg: LineContext,
  headId: number,
  tailId: number,
): { name: string; lineNo: number } {
  if (next.done) {
    throw new DatasetFormatError(namesFile, undefined, `ends before ${kg.file}:${kg.lineNo}; the two files must match line for line`);
  }
  const { line, lineNo } = next.value;
  const ctx: LineContext = { file: namesFile, lineNo };
  const fields = line.split('\t');
  expectColumns(ctx, fields, ['head', 'relation_name', 'tail'], 'tab');
  const head = parseIntId(ctx, fields[0] ?? '', 1, 'head');
  const tail = parseIntId(ctx, fields[2] ?? '', 3, 'tail');
  if (head !== headId || tail !== tailId) {
    throw new DatasetFormatError(
      namesFile,
      lineNo,
      `has "${head} ... ${tail}" where ${kg.file}:${kg.lineNo} has "${headId} ... ${tailId}"; the two files must match line for line`,
    );
  }
  const name = fields[1] ?? '';
  if (name === '') throw new DatasetFormatError(namesFile, lineNo, 'expected a relation name in column 2, found an empty field');
  return { name, lineNo };
}
