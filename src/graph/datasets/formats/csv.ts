/**
 * Plain CSV/TSV files named by a mapping file (`"source": "csv"`, see
 * src/graph/mapping/schema.ts): interactions, and optionally items (titles),
 * a KG (head, relation, tail) and exposures (shown, not clicked). Each file
 * has a header row; the delimiter is the mapping's or is detected from the
 * header line. Fields are read by csv-parse (RFC 4180 quoting: delimiters,
 * quotes and line breaks inside quoted fields), a UTF-8 BOM and CRLF line
 * ends are accepted, and every error names file:line and the column.
 *
 * Ids are kept as strings, as RecBole's `:token`s are, so that the same data
 * reached as RecBole atomic files gets the same keys. A KG entity whose id
 * equals an item id is that item (the identity alignment; RecBole's .link
 * maps item ids to other entity ids instead).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';

import { DatasetFormatError } from '../../errors.js';
import { MappingError, type CsvMapping } from '../../mapping/schema.js';
import { DatasetBuilder, STRING_IDS, type FormatParseOptions } from '../builder.js';
import { describeFile, MAX_LINE_CHARS } from '../line-reader.js';
import type { ExposureRecord, InteractionRecord, ParsedDataset, SourceFile } from '../records.js';

export type CsvDelimiter = NonNullable<CsvMapping['delimiter']>;
/** Tried in this order when the header line has as many of two of them. */
export const CSV_DELIMITERS: readonly CsvDelimiter[] = [',', '\t', ';', '|'];

/**
 * The impression id of every CSV exposure: the files have no impression logs,
 * so an exposure is keyed on (user, item) and repeated lines add to its count.
 */
export const CSV_EXPOSURE_IMPRESSION = '';

export interface CsvParseOptions extends FormatParseOptions {
  /** One line per notable fact (rows dropped by minRating, delimiters detected). */
  readonly log?: (line: string) => void;
}

type Section = 'interactions' | 'items' | 'kg' | 'exposures';

/** One column a section reads: its header name and the mapping key that names it. */
interface ColumnSpec {
  readonly name: string;
  /** The JSON path of the mapping key, e.g. $.interactions.rating. */
  readonly key: string;
}

/** A file's columns by role: `required` ones must be in the header; `optional` ones where the mapping names them. */
interface TableSpec<Q extends string, O extends string> {
  readonly section: Section;
  readonly file: string;
  readonly required: Readonly<Record<Q, string>>;
  readonly optional?: Readonly<Partial<Record<O, string | undefined>>>;
}

/**
 * Parses every file the mapping names into one dataset. Nothing is written
 * anywhere; any mistake throws before the caller writes: a file that does not
 * exist (MappingError naming the path and the mapping key), a missing column,
 * a malformed value (DatasetFormatError naming file:line and the column).
 */
export async function parseCsvMapping(mapping: CsvMapping, mappingPath: string, options: CsvParseOptions = {}): Promise<ParsedDataset> {
  const mappingFile = path.resolve(mappingPath);
  const dir = path.dirname(mappingFile);
  const log = options.log ?? (() => undefined);
  const fileOf = (section: Section): string | undefined => {
    const named = mapping[section]?.file;
    return named === undefined ? undefined : path.resolve(dir, named);
  };
  // Every file is checked before any is read: a typo in the last one should not wait for the first to be parsed.
  let mappingSource: SourceFile;
  try {
    mappingSource = await describeFile(mappingFile);
  } catch (error) {
    if (error instanceof DatasetFormatError) throw new MappingError(`cannot read mapping ${mappingFile}: it does not exist or is not a file`);
    throw error;
  }
  for (const section of ['interactions', 'exposures', 'kg', 'items'] as const) {
    const file = fileOf(section);
    if (file !== undefined) await requireNamedFile(mappingFile, `$.${section}.file`, file);
  }

  const b = new DatasetBuilder(options.onFileRead);
  b.recordFile(mappingSource);
  const delimiter = mapping.delimiter;
  const reader = { delimiter, log };

  // Interactions.
  const inter = mapping.interactions;
  const interFile = fileOf('interactions') ?? '';
  const minRating = inter.minRating;
  if (minRating !== undefined && inter.rating === undefined) {
    throw new MappingError(`${mappingFile}: $.interactions.minRating needs $.interactions.rating, the column holding the ratings`);
  }
  let kept = 0;
  let dropped = 0;
  const interRows = await readTable(
    reader,
    { section: 'interactions', file: interFile, required: { user: inter.user, item: inter.item }, optional: { time: inter.time, rating: inter.rating } },
    b.recordFile,
    (row) => {
      const record: { -readonly [K in keyof InteractionRecord]: InteractionRecord[K] } = { userId: row.id('user'), itemId: row.id('item'), split: null };
      const time = row.time('time');
      if (time !== undefined) record.timestamp = time;
      const rating = row.number('rating');
      if (rating !== undefined) record.rating = rating;
      if (minRating !== undefined) {
        if (rating === undefined) {
          throw row.error('rating', `no rating, and $.interactions.minRating (${minRating}) needs one on every row`);
        }
        if (rating < minRating) {
          dropped += 1;
          return;
        }
      }
      b.addInteraction(record);
      kept += 1;
    },
  );
  if (interRows === 0) throw new DatasetFormatError(interFile, undefined, 'has a header but no interaction rows');
  if (minRating !== undefined) {
    log(`${path.basename(interFile)}: ${dropped} of ${interRows} interactions rated below minRating ${minRating} dropped, ${kept} kept`);
    if (kept === 0) {
      throw new DatasetFormatError(interFile, undefined, `no interaction is rated at least ${minRating} ($.interactions.minRating)`, `lower minRating in ${mappingFile}`);
    }
  }

  // Exposures: (user, item) shown and not clicked; repeats add to one exposure's count.
  const exposures = mapping.exposures;
  if (exposures !== undefined) {
    await readTable(
      reader,
      { section: 'exposures', file: fileOf('exposures') ?? '', required: { user: exposures.user, item: exposures.item }, optional: { time: exposures.time } },
      b.recordFile,
      (row) => {
        const record: { -readonly [K in keyof ExposureRecord]: ExposureRecord[K] } = {
          userId: row.id('user'),
          itemId: row.id('item'),
          impressionId: CSV_EXPOSURE_IMPRESSION,
          count: 1,
          split: null,
        };
        const time = row.time('time');
        if (time !== undefined) record.timestamp = time;
        b.addExposure(record);
      },
    );
  }

  // The KG, after the items are known: an entity named like an item is that item.
  const kg = mapping.kg;
  if (kg !== undefined) {
    await readTable(
      reader,
      { section: 'kg', file: fileOf('kg') ?? '', required: { head: kg.head, relation: kg.relation, tail: kg.tail } },
      b.recordFile,
      (row) => {
        const headId = row.id('head');
        const relationId = row.id('relation');
        const tailId = row.id('tail');
        for (const id of [headId, tailId]) if (b.hasItem(id)) b.addItem(id, { entityId: id });
        b.addRelation({ relationId, name: relationId });
        b.addTriple({ headId, relationId, tailId });
      },
    );
  }

  // Items: titles for the items the other files name (as a RecBole .item, a row for another item is checked and skipped).
  const items = mapping.items;
  if (items !== undefined) {
    const file = fileOf('items') ?? '';
    // A file that only adds titles may change without the graph changing (see ParsedDataset.itemAttributeFiles),
    // unless it is also the interactions, exposures or KG file (one denormalized table).
    if ((['interactions', 'exposures', 'kg'] as const).every((section) => fileOf(section) !== file)) b.markItemAttributeFile(file);
    const rowOf = new Map<string, { line: number; title: string }>();
    await readTable(
      reader,
      { section: 'items', file, required: { id: items.id }, optional: { title: items.title } },
      b.recordFile,
      (row) => {
        const itemId = row.id('id');
        const title = row.text('title')?.trim() ?? '';
        // A repeated row is fine where it agrees (a table with one row per interaction), an error where it does not.
        const earlier = rowOf.get(itemId);
        if (earlier !== undefined) {
          if (earlier.title === title) return;
          throw row.error('title', `item '${itemId}' has the title ${quoteValue(earlier.title)} on line ${earlier.line}, and ${quoteValue(title)} here`);
        }
        rowOf.set(itemId, { line: row.line, title });
        if (b.hasItem(itemId) && title !== '') b.addItem(itemId, { attributes: { title } });
      },
    );
  }

  return b.build({ format: 'csv', idTypes: STRING_IDS, splitRule: mapping.split.rule, relationless: false });
}

async function requireNamedFile(mappingFile: string, key: string, file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new MappingError(`${mappingFile}: ${key}: ${file} does not exist`, 'file paths in a mapping are relative to the mapping file');
    }
    throw error;
  }
  if (!isFile) throw new MappingError(`${mappingFile}: ${key}: ${file} is not a file`);
}

/** What a row callback reads its fields with; every error names file:line and the column. */
interface Row<R extends string> {
  /** The line the record starts on (1-based, blank lines counted). */
  readonly line: number;
  /** The field, verbatim (after csv-parse's trim of unquoted whitespace); undefined for an optional column the mapping does not name. */
  text(role: R): string | undefined;
  /** A non-empty id, kept as a string. */
  id(role: R): string;
  /** A finite decimal number; undefined when the column is not mapped or the field is empty. */
  number(role: R): number | undefined;
  /** Epoch seconds or an ISO-8601 date-time, as epoch seconds; undefined when not mapped or empty. */
  time(role: R): number | undefined;
  error(role: R, problem: string): DatasetFormatError;
}

interface Reader {
  readonly delimiter: CsvDelimiter | undefined;
  readonly log: (line: string) => void;
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/**
 * Streams one file through csv-parse: the header row first (every mapped
 * column must be there), then one callback per record, in file order. The
 * file's size and sha256 come from the same bytes. Returns the number of
 * data rows (blank lines are skipped).
 */
async function readTable<Q extends string, O extends string = never>(
  reader: Reader,
  spec: TableSpec<Q, O>,
  onSourceFile: (file: SourceFile) => void,
  onRow: (row: Row<Q | O>) => void,
): Promise<number> {
  type R = Q | O;
  const { file } = spec;
  const detected = reader.delimiter === undefined;
  const delimiter = reader.delimiter ?? (await detectDelimiter(file));
  const delimiterSource = detected ? 'detected from the header line' : 'from $.delimiter';

  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      bytes += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
  });

  // Line numbers are counted here, from each record's raw text: csv-parse's
  // own count (info.lines) counts a CRLF inside a quoted field twice.
  let line = 1;
  let header: { names: string[]; columns: Map<R, number> } | undefined;
  let rows = 0;
  const columnOf = (role: R): number | undefined => header?.columns.get(role);
  const nameOf = (role: R): string => (spec.required as Partial<Record<R, string>>)[role] ?? (spec.optional as Partial<Record<R, string>> | undefined)?.[role] ?? role;
  let current: readonly string[] = [];
  let currentLine = 0;
  const error = (role: R, problem: string): DatasetFormatError => new DatasetFormatError(file, currentLine, `column ${nameOf(role)}: ${problem}`);
  const row: Row<R> = {
    get line() {
      return currentLine;
    },
    text: (role) => {
      const column = columnOf(role);
      return column === undefined ? undefined : (current[column] ?? '');
    },
    id: (role) => {
      const text = row.text(role) ?? '';
      if (text === '') throw error(role, 'expected an id, got an empty field');
      return text;
    },
    number: (role) => {
      const text = row.text(role);
      if (text === undefined || text === '') return undefined;
      const value = DECIMAL_FLOAT.test(text) ? Number(text) : Number.NaN;
      if (!Number.isFinite(value)) throw error(role, `expected a number, got ${quoteValue(text)}`);
      return value;
    },
    time: (role) => {
      const text = row.text(role);
      if (text === undefined || text === '') return undefined;
      const value = parseTime(text);
      if (value === undefined) {
        throw error(role, `expected epoch seconds or an ISO-8601 date-time (e.g. 2024-05-01T12:00:00Z), got ${quoteValue(text)}`);
      }
      return value;
    },
    error,
  };

  const onRecord = (record: { record: string[]; raw: string }): null => {
    const fields = record.record;
    const raw = record.raw;
    currentLine = line;
    line += lineBreaks(raw);
    // A blank (or whitespace-only) line reads as one empty field.
    if (fields.length === 1 && fields[0] === '') return null;
    if (raw.includes('\0') || raw.includes('\uFFFD')) {
      throw new DatasetFormatError(file, currentLine, 'binary or non-UTF-8 data', 'CSV/TSV files must be UTF-8 text; re-encode the file (e.g. iconv -t UTF-8)');
    }
    if (header === undefined) {
      header = readHeader(spec, fields, currentLine, delimiter, delimiterSource);
      return null;
    }
    if (fields.length !== header.names.length) {
      const other = fields.length === 1 ? CSV_DELIMITERS.find((d) => d !== delimiter && (fields[0] ?? '').includes(d)) : undefined;
      throw new DatasetFormatError(
        file,
        currentLine,
        `expected ${header.names.length} columns (${header.names.join(', ')}), found ${fields.length}`,
        other === undefined
          ? `fields are separated by ${describeDelimiter(delimiter)} (${delimiterSource}); quote a field that holds one`
          : `the line has ${describeDelimiter(other)} but no ${describeDelimiter(delimiter)} (${delimiterSource})`,
      );
    }
    current = fields;
    onRow(row);
    rows += 1;
    return null;
  };

  const parser = parse({
    delimiter,
    bom: true,
    raw: true,
    // Checked here, with a message naming the columns; blank lines are skipped here too, so that they are counted.
    relax_column_count: true,
    skip_empty_lines: false,
    // A quote inside an unquoted field is text (5" floppy), as in TSV files that never quote.
    relax_quotes: true,
    // Spaces around delimiters are not part of a field (outside quotes).
    trim: true,
    max_record_size: MAX_LINE_CHARS,
    // With raw: true each record arrives as { record, raw }. Handled here, in file order, as csv-parse reads:
    // an error thrown here ends the parse, so nothing after the bad line is read.
    on_record: (record: unknown) => onRecord(record as { record: string[]; raw: string }),
  });
  try {
    await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), tap, parser);
  } catch (caught) {
    if (caught instanceof DatasetFormatError) throw caught;
    if (caught instanceof CsvError) throw new DatasetFormatError(file, line, describeCsvError(caught), `fields are separated by ${describeDelimiter(delimiter)} (${delimiterSource})`);
    throw caught;
  }
  if (header === undefined) {
    throw new DatasetFormatError(file, undefined, `file is empty; expected a header row naming the columns ${Object.values<string>(spec.required).join(', ')}`);
  }
  onSourceFile({ path: file, bytes, sha256: hash.digest('hex') });
  if (detected) reader.log(`${path.basename(file)}: ${rows} rows, columns separated by ${describeDelimiter(delimiter)} (detected)`);
  return rows;
}

function readHeader<Q extends string, O extends string, R extends string = Q | O>(
  spec: TableSpec<Q, O>,
  names: string[],
  line: number,
  delimiter: CsvDelimiter,
  delimiterSource: string,
): { names: string[]; columns: Map<R, number> } {
  const columns = new Map<R, number>();
  const wanted: Array<[R, ColumnSpec]> = [
    ...Object.entries<string>(spec.required).map(([role, name]) => [role as R, { name, key: `$.${spec.section}.${role}` }] as [R, ColumnSpec]),
    ...Object.entries<string | undefined>(spec.optional ?? {}).flatMap(([role, name]) =>
      name === undefined ? [] : [[role as R, { name, key: `$.${spec.section}.${role}` }] as [R, ColumnSpec]],
    ),
  ];
  for (const [role, { name, key }] of wanted) {
    const at = names.indexOf(name);
    if (at === -1) {
      const shown = names.length > 30 ? [...names.slice(0, 30), `and ${names.length - 30} more`] : names;
      throw new DatasetFormatError(
        spec.file,
        line,
        `no column ${JSON.stringify(name)} (named by ${key}); the columns are: ${shown.map((n) => JSON.stringify(n)).join(', ')}`,
        names.length === 1
          ? `the header has one column: are the fields separated by ${describeDelimiter(delimiter)} (${delimiterSource})? set $.delimiter in the mapping`
          : 'column names are compared exactly (case and spaces count)',
      );
    }
    const again = names.indexOf(name, at + 1);
    if (again !== -1) {
      throw new DatasetFormatError(spec.file, line, `the header names column ${JSON.stringify(name)} (${key}) twice, as columns ${at + 1} and ${again + 1}`);
    }
    columns.set(role, at);
  }
  return { names, columns };
}

/**
 * The delimiter the header line uses most, outside double quotes: comma,
 * tab, semicolon or pipe (the first of them on a tie); comma when it has none.
 */
export async function detectDelimiter(file: string): Promise<CsvDelimiter> {
  return delimiterOf(await headerLine(file));
}

export function delimiterOf(headerText: string): CsvDelimiter {
  const counts = new Map<string, number>(CSV_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerText) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  let most = 0;
  for (const d of CSV_DELIMITERS) {
    const n = counts.get(d) ?? 0;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

/** The first non-blank line of a file, BOM stripped (read from its start, not the whole file). */
async function headerLine(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    const decoder = new StringDecoder('utf8');
    let text = '';
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      text += decoder.write(chunk.subarray(0, bytesRead));
      const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
      // The last piece may be cut mid-line; any earlier non-blank one is whole.
      const whole = lines.slice(0, -1).find((l) => l.trim() !== '');
      if (whole !== undefined) return whole;
      if (text.length > MAX_LINE_CHARS) break;
    }
    return text.replace(/^\uFEFF/, '').trim();
  } finally {
    await handle.close();
  }
}

/** Line breaks in a record's raw text: CRLF, LF or CR each count once. */
function lineBreaks(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (c === 10) n += 1;
    else if (c === 13) {
      n += 1;
      if (raw.charCodeAt(i + 1) === 10) i += 1;
    }
  }
  return n;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Epoch seconds (a decimal number, as RecBole's timestamp:float) or an
 * ISO-8601 date (2024-05-01, read as midnight UTC) or date-time
 * (2024-05-01T12:30:00, with optional fraction and Z or ±hh:mm; without an
 * offset the time is UTC). Undefined when the text is neither, or names a
 * day or time that does not exist.
 */
export function parseTime(text: string): number | undefined {
  if (DECIMAL_FLOAT.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const fraction = m[7] === undefined ? 0 : Number(`0${m[7]}`);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  let offset = 0;
  if (m[9] !== undefined) {
    const hours = Number(m[10]);
    const minutes = Number(m[11] ?? 0);
    if (hours > 23 || minutes > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, 0);
  return utc.getTime() / 1000 + fraction - offset;
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field that starts on this line is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after the closing quote of a quoted field (write a quote inside a quoted field as "")';
    case 'CSV_MAX_RECORD_SIZE':
      return `a record longer than ${MAX_LINE_CHARS} characters (binary data, or a quote that is never closed?)`;
    default:
      return error.message.replace(/ at line \d+\b/, '');
  }
}

function describeDelimiter(delimiter: string): string {
  return { ',': 'commas', '\t': 'tabs', ';': 'semicolons', '|': 'pipes' }[delimiter] ?? JSON.stringify(delimiter);
}

/** A field as messages show it: in single quotes, cut short, control characters escaped. */
function quoteValue(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `'${JSON.stringify(shown).slice(1, -1).replace(/\\"/g, '"')}'`;
}
