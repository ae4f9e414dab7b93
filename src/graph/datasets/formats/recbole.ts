/**
 * RecBole atomic files (recbole/dataset_example/*): tab-separated, with a
 * typed header `name:type` per column. Ids are `:token`, i.e. strings, even
 * when they look numeric: "007" and "7" are different users in RecBole.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { DatasetFormatError } from '../../errors.js';
import { DatasetBuilder, STRING_IDS, type FormatParseOptions } from '../builder.js';
import { expectColumns, parseFloatField, parseStringId, type LineContext } from '../fields.js';
import { fileExists, readLines } from '../line-reader.js';
import type { InteractionRecord, ItemAttributes, ParsedDataset } from '../records.js';

export const RECBOLE_FIELD_TYPES = ['token', 'token_seq', 'float', 'float_seq'] as const;
export type RecboleFieldType = (typeof RECBOLE_FIELD_TYPES)[number];

interface Header {
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** Which fields a file must (or may) declare, and the type each must have. */
interface FieldSpec {
  readonly required: Readonly<Record<string, RecboleFieldType>>;
  readonly optional?: Readonly<Record<string, RecboleFieldType>>;
}

const INTER_FIELDS: FieldSpec = {
  required: { user_id: 'token', item_id: 'token' },
  optional: { rating: 'float', timestamp: 'float' },
};
const KG_FIELDS: FieldSpec = { required: { head_id: 'token', relation_id: 'token', tail_id: 'token' } };
const LINK_FIELDS: FieldSpec = { required: { item_id: 'token', entity_id: 'token' } };
const ITEM_FIELDS: FieldSpec = { required: { item_id: 'token' } };

/**
 * The `.item` columns kgneg keeps, by the names RecBole's example datasets
 * use (ml-100k/ml-1m: movie_title, release_year, class; Amazon: title,
 * categories; others: name, year, genre), the first one declared winning.
 */
const TITLE_FIELDS = ['movie_title', 'title', 'name', 'item_name'] as const;
const YEAR_FIELDS = ['release_year', 'year'] as const;
const GENRE_FIELDS = ['class', 'genre', 'genres', 'categories'] as const;
const YEAR = /^[0-9]{1,4}(?:\.0*)?$/;

/** The one `*.inter` file of a RecBole dataset directory. */
export async function findInterFile(dir: string): Promise<string> {
  const inter = (await readdir(dir)).filter((name) => name.endsWith('.inter')).sort();
  if (inter.length !== 1) {
    throw new DatasetFormatError(
      dir,
      undefined,
      inter.length === 0 ? 'no *.inter file' : `expected one *.inter file, found ${inter.length}: ${inter.join(', ')}`,
      'a RecBole dataset directory holds one <name>.inter and optionally <name>.kg and <name>.link',
    );
  }
  return inter[0] ?? '';
}

export async function parseRecbole(dir: string, options: FormatParseOptions = {}): Promise<ParsedDataset> {
  const b = new DatasetBuilder(options.onFileRead);
  const base = join(dir, (await findInterFile(dir)).slice(0, -'.inter'.length));

  await readInter(b, `${base}.inter`);
  if (await fileExists(`${base}.link`)) await readLink(b, `${base}.link`);
  if (await fileExists(`${base}.kg`)) await readKg(b, `${base}.kg`);
  if (await fileExists(`${base}.item`)) {
    b.markItemAttributeFile(`${base}.item`);
    await readItemFeatures(b, `${base}.item`);
  }

  return b.build({ format: 'recbole', idTypes: STRING_IDS, splitRule: 'user-time-8-1-1', relationless: false });
}

async function readInter(b: DatasetBuilder, file: string): Promise<void> {
  let header: Header | undefined;
  let rows = 0;
  for await (const { line, lineNo } of readLines(file, {
    expect: 'a header such as "user_id:token item_id:token rating:float timestamp:float" and one row per interaction',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    if (header === undefined) {
      header = parseHeader(ctx, line, INTER_FIELDS);
      continue;
    }
    const fields = line.split('\t');
    expectColumns(ctx, fields, header.names, 'tab');
    const record: { -readonly [K in keyof InteractionRecord]: InteractionRecord[K] } = {
      userId: stringField(ctx, header, fields, 'user_id'),
      itemId: stringField(ctx, header, fields, 'item_id'),
      split: null,
    };
    const rating = floatField(ctx, header, fields, 'rating');
    if (rating !== undefined) record.rating = rating;
    const timestamp = floatField(ctx, header, fields, 'timestamp');
    if (timestamp !== undefined) record.timestamp = timestamp;
    b.addInteraction(record);
    rows += 1;
  }
  if (rows === 0) throw new DatasetFormatError(file, undefined, 'has a header but no interaction rows');
}

function stringField(ctx: LineContext, header: Header, fields: readonly string[], name: string): string {
  const column = header.index.get(name) ?? -1;
  return parseStringId(ctx, fields[column] ?? '', column + 1, name);
}

/** Undefined when the header lacks the field or the row leaves it empty, as RecBole allows for floats. */
function floatField(ctx: LineContext, header: Header, fields: readonly string[], name: string): number | undefined {
  const column = header.index.get(name);
  const text = column === undefined ? undefined : fields[column];
  if (column === undefined || text === undefined || text === '') return undefined;
  return parseFloatField(ctx, text, column + 1, name);
}

/**
 * `.link` ties an item to the KG entity it stands for. One item, one entity:
 * a second, different pairing for either side is an error, since the item
 * node could not carry both.
 */
async function readLink(b: DatasetBuilder, file: string): Promise<void> {
  let header: Header | undefined;
  const entityOf = new Map<string, { entityId: string; lineNo: number }>();
  const itemOf = new Map<string, { itemId: string; lineNo: number }>();
  for await (const { line, lineNo } of readLines(file, {
    expect: 'a header "item_id:token entity_id:token" and one row per linked item',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    if (header === undefined) {
      header = parseHeader(ctx, line, LINK_FIELDS);
      continue;
    }
    const fields = line.split('\t');
    expectColumns(ctx, fields, header.names, 'tab');
    const itemId = stringField(ctx, header, fields, 'item_id');
    const entityId = stringField(ctx, header, fields, 'entity_id');
    const linked = entityOf.get(itemId);
    if (linked !== undefined && linked.entityId !== entityId) {
      throw new DatasetFormatError(file, lineNo, `item ${JSON.stringify(itemId)} is already linked to entity ${JSON.stringify(linked.entityId)} on line ${linked.lineNo}`);
    }
    const owner = itemOf.get(entityId);
    if (owner !== undefined && owner.itemId !== itemId) {
      throw new DatasetFormatError(file, lineNo, `entity ${JSON.stringify(entityId)} is already linked to item ${JSON.stringify(owner.itemId)} on line ${owner.lineNo}`);
    }
    entityOf.set(itemId, { entityId, lineNo });
    itemOf.set(entityId, { itemId, lineNo });
    b.addItem(itemId, { entityId });
  }
}

async function readKg(b: DatasetBuilder, file: string): Promise<void> {
  let header: Header | undefined;
  for await (const { line, lineNo } of readLines(file, {
    expect: 'a header "head_id:token relation_id:token tail_id:token" and one row per triple',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    if (header === undefined) {
      header = parseHeader(ctx, line, KG_FIELDS);
      continue;
    }
    const fields = line.split('\t');
    expectColumns(ctx, fields, header.names, 'tab');
    const headId = stringField(ctx, header, fields, 'head_id');
    const relationId = stringField(ctx, header, fields, 'relation_id');
    const tailId = stringField(ctx, header, fields, 'tail_id');
    b.addRelation({ relationId, name: relationId });
    b.addTriple({ headId, relationId, tailId });
  }
}

/**
 * `NAME.item`: one row per item, typed header, any columns besides item_id.
 * It only decorates items that the .inter or .link files name (a row for
 * another item is checked and skipped), giving them a title, a year and
 * genres where its header declares such columns. A token field is free
 * text, so a year that is not a plain integer ("unknown") is left out
 * rather than rejected; float columns must hold numbers, as in .inter.
 */
async function readItemFeatures(b: DatasetBuilder, file: string): Promise<void> {
  let header: Header | undefined;
  let columns: ItemColumns = { genreSeq: true, floats: [] };
  const rowOf = new Map<string, number>();
  for await (const { line, lineNo } of readLines(file, {
    expect: 'a header such as "item_id:token movie_title:token_seq release_year:token class:token_seq" and one row per item',
    onSourceFile: b.recordFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    if (header === undefined) {
      header = parseHeader(ctx, line, ITEM_FIELDS);
      columns = itemColumns(line, header);
      continue;
    }
    const fields = line.split('\t');
    expectColumns(ctx, fields, header.names, 'tab');
    const itemId = stringField(ctx, header, fields, 'item_id');
    for (const column of columns.floats) {
      const text = fields[column] ?? '';
      if (text !== '') parseFloatField(ctx, text, column + 1, header.names[column] ?? '');
    }
    const earlier = rowOf.get(itemId);
    if (earlier !== undefined) {
      throw new DatasetFormatError(file, lineNo, `item ${JSON.stringify(itemId)} already has a row, on line ${earlier}`);
    }
    rowOf.set(itemId, lineNo);
    if (!b.hasItem(itemId)) continue;
    const title = columns.title === undefined ? '' : (fields[columns.title] ?? '').trim();
    const yearText = columns.year === undefined ? '' : (fields[columns.year] ?? '').trim();
    const genreText = columns.genres === undefined ? '' : (fields[columns.genres] ?? '').trim();
    const genres = genreText === '' ? [] : columns.genreSeq ? genreText.split(/ +/) : [genreText];
    const attributes: { -readonly [K in keyof ItemAttributes]: ItemAttributes[K] } = {};
    if (title !== '') attributes.title = title;
    if (YEAR.test(yearText)) attributes.year = Number(yearText);
    if (genres.length > 0) attributes.genres = genres;
    if (Object.keys(attributes).length > 0) b.addItem(itemId, { attributes });
  }
}

/** 0-based columns of a `.item` file: the title, year and genres (where declared), and the floats to check. */
interface ItemColumns {
  readonly title?: number;
  readonly year?: number;
  readonly genres?: number;
  /** Genres declared as token_seq (split on spaces) rather than one token. */
  readonly genreSeq: boolean;
  readonly floats: readonly number[];
}

function itemColumns(line: string, header: Header): ItemColumns {
  const types = line.split('\t').map((column) => column.slice(column.lastIndexOf(':') + 1));
  const pick = (names: readonly string[], allowed: readonly string[]): number | undefined => {
    for (const name of names) {
      const column = header.index.get(name);
      if (column !== undefined && allowed.includes(types[column] ?? '')) return column;
    }
    return undefined;
  };
  const text = ['token', 'token_seq'];
  const title = pick(TITLE_FIELDS, text);
  const year = pick(YEAR_FIELDS, [...text, 'float']);
  const genres = pick(GENRE_FIELDS, text);
  const floats = types.flatMap((type, column) => (type === 'float' ? [column] : []));
  return {
    ...(title === undefined ? {} : { title }),
    ...(year === undefined ? {} : { year }),
    ...(genres === undefined ? {} : { genres }),
    genreSeq: genres === undefined || types[genres] === 'token_seq',
    floats,
  };
}

/** Reads `name:type<TAB>name:type...`, checking that `spec`'s fields are there with their types. */
function parseHeader(ctx: LineContext, line: string, spec: FieldSpec): Header {
  const names: string[] = [];
  const index = new Map<string, number>();
  const declared = line.split('\t');
  declared.forEach((column, i) => {
    const colon = column.lastIndexOf(':');
    const name = colon === -1 ? '' : column.slice(0, colon);
    const type = column.slice(colon + 1);
    if (name === '' || !(RECBOLE_FIELD_TYPES as readonly string[]).includes(type)) {
      throw new DatasetFormatError(
        ctx.file,
        ctx.lineNo,
        `header column ${i + 1} is ${JSON.stringify(column)}; expected name:type with type one of ${RECBOLE_FIELD_TYPES.join(', ')}`,
        'RecBole atomic files start with a typed header line, e.g. "user_id:token<TAB>item_id:token"',
      );
    }
    if (index.has(name)) {
      throw new DatasetFormatError(ctx.file, ctx.lineNo, `header declares ${JSON.stringify(name)} twice`);
    }
    names.push(name);
    index.set(name, i);
    const wanted = spec.required[name] ?? spec.optional?.[name];
    if (wanted !== undefined && wanted !== type) {
      throw new DatasetFormatError(ctx.file, ctx.lineNo, `header declares ${name}:${type}; expected ${name}:${wanted}`);
    }
  });
  const missing = Object.keys(spec.required).filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new DatasetFormatError(
      ctx.file,
      ctx.lineNo,
      `header does not declare ${missing.map((name) => `${name}:${spec.required[name] ?? ''}`).join(', ')}`,
      `found ${JSON.stringify(line)}`,
    );
  }
  return { names, index };
}
