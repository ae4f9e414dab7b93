/**
 * Id-map files (KGAT's user_list.txt, item_list.txt, relation_list.txt; KGCN's
 * item_index2entity_id.txt): one row per id, `org_id remap_id [extra]`, with
 * or without a header line. Copies in the wild come both ways, so the first
 * line is a header exactly when its id column does not parse as an integer;
 * a header must then be one the format knows, or the line is reported as a
 * bad row (with file:line, like any other).
 */
import { DatasetFormatError } from '../errors.js';
import { expectColumns, parseIntId, quote, splitFields, type LineContext, type Separator } from './fields.js';
import { readLines } from './line-reader.js';
import type { SourceFile } from './records.js';

export interface IdListSpec {
  readonly separator: Separator;
  /** Column names, in order; the first `required` must be there, the rest may be left off (all rows alike). */
  readonly columns: readonly string[];
  readonly required: number;
  /** 0-based column of the integer id. */
  readonly idColumn: number;
  /** Whether fields of a first line whose id column is not an integer are a header this file may have. */
  readonly isHeader: (fields: readonly string[]) => boolean;
  /** The headers `isHeader` accepts, for the message when it accepts none. */
  readonly headers: string;
  /** The message for an id on a second row; `earlier` is that id's first line. */
  readonly duplicate: (id: number, earlier: number) => string;
}

export interface IdListRow {
  readonly id: number;
  readonly fields: readonly string[];
  readonly ctx: LineContext;
}

/** Reads the rows, checks them and hands each to `onRow`; returns whether the file had a header. */
export async function readIdList(
  file: string,
  spec: IdListSpec,
  onSourceFile: (file: SourceFile) => void,
  onRow: (row: IdListRow) => void,
): Promise<{ readonly header: boolean }> {
  const sep = spec.separator === 'tab' ? 'tab-separated ' : '';
  const shape = spec.columns.slice(0, spec.required).join(' ');
  let columns: readonly string[] | undefined;
  let header = false;
  const seen = new Map<number, number>();
  for await (const { line, lineNo } of readLines(file, {
    expect: `${sep}rows of "${shape}" (an integer ${spec.columns[spec.idColumn] ?? 'id'}), with or without a header line`,
    onSourceFile,
  })) {
    const ctx: LineContext = { file, lineNo };
    const fields = splitFields(line, spec.separator);
    if (columns === undefined) {
      const idText = fields[spec.idColumn] ?? '';
      if (!isInteger(idText)) {
        if (!spec.isHeader(fields)) {
          throw new DatasetFormatError(
            file,
            lineNo,
            `expected a header (${spec.headers}) or a row "${shape}" with an integer in column ${spec.idColumn + 1} (${spec.columns[spec.idColumn] ?? 'id'}), found ${quote(line)}`,
          );
        }
        columns = fields;
        header = true;
        continue;
      }
      // No header: the first row fixes how many of the optional columns every row has.
      const count = Math.min(Math.max(fields.length, spec.required), spec.columns.length);
      columns = spec.columns.slice(0, count);
    }
    expectColumns(ctx, fields, columns, spec.separator);
    const id = parseIntId(ctx, fields[spec.idColumn] ?? '', spec.idColumn + 1, columns[spec.idColumn] ?? 'id');
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new DatasetFormatError(file, lineNo, spec.duplicate(id, earlier));
    seen.set(id, lineNo);
    for (let c = 0; c < fields.length; c += 1) {
      if (fields[c] === '') throw new DatasetFormatError(file, lineNo, `expected a value in column ${c + 1} (${columns[c] ?? ''}), found an empty field`);
    }
    onRow({ id, fields, ctx });
  }
  return { header };
}

/** Decimal digits: an id (parseIntId then says when one is too large), never a column name. */
function isInteger(text: string): boolean {
  return /^[0-9]+$/.test(text);
}
