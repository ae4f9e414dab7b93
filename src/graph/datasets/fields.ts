import { DatasetFormatError } from '../errors.js';

/** Where a field came from, for error messages. */
export interface LineContext {
  readonly file: string;
  readonly lineNo: number;
}

/** Tab for KGCN, RecBole and MIND; runs of spaces/tabs for KGAT. */
export type Separator = 'tab' | 'whitespace';

const SEPARATOR_WORDS: Record<Separator, string> = { tab: 'tab-separated', whitespace: 'whitespace-separated' };

const WHITESPACE_RUN = /\s+/;
const DECIMAL_DIGITS = /^[0-9]+$/;
const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

export function splitFields(line: string, separator: Separator): string[] {
  if (separator === 'tab') return line.split('\t');
  const trimmed = line.trim();
  return trimmed === '' ? [] : trimmed.split(WHITESPACE_RUN);
}

/**
 * Throws unless `fields` has exactly `names.length` columns (or at least, with
 * `atLeast`). When a tab-separated file has no tab at all, the hint says so:
 * the usual cause is a space-separated copy of the file.
 */
export function expectColumns(
  ctx: LineContext,
  fields: readonly string[],
  names: readonly string[],
  separator: Separator,
  atLeast = false,
): void {
  const ok = atLeast ? fields.length >= names.length : fields.length === names.length;
  if (ok) return;
  const count = `${atLeast ? 'at least ' : ''}${names.length}`;
  const hint =
    separator === 'tab' && fields.length === 1 && / /.test(fields[0] ?? '')
      ? 'the line has spaces but no tab; this format separates columns with tabs'
      : undefined;
  throw new DatasetFormatError(
    ctx.file,
    ctx.lineNo,
    `expected ${count} ${SEPARATOR_WORDS[separator]} columns (${names.join(' ')}), found ${fields.length}`,
    hint,
  );
}

/** A non-negative safe integer written in decimal digits only ("007" reads as 7). */
export function parseIntId(ctx: LineContext, text: string, column: number, name: string): number {
  const value = DECIMAL_DIGITS.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw new DatasetFormatError(
      ctx.file,
      ctx.lineNo,
      `expected an integer id in column ${column} (${name}), found ${quote(text)}`,
      DECIMAL_DIGITS.test(text) ? 'ids must be below 2^53' : undefined,
    );
  }
  return value;
}

/** A positive safe integer (counts). */
export function parseCount(ctx: LineContext, text: string, column: number, name: string): number {
  const value = DECIMAL_DIGITS.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new DatasetFormatError(
      ctx.file,
      ctx.lineNo,
      `expected a positive integer in column ${column} (${name}), found ${quote(text)}`,
    );
  }
  return value;
}

/** A finite decimal number; rejects "", "NaN", "Infinity", hex and similar. */
export function parseFloatField(ctx: LineContext, text: string, column: number, name: string): number {
  const value = DECIMAL_FLOAT.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) {
    throw new DatasetFormatError(ctx.file, ctx.lineNo, `expected a number in column ${column} (${name}), found ${quote(text)}`);
  }
  return value;
}

/** A string id: any non-empty text, kept verbatim (quotes, braces, keywords included). */
export function parseStringId(ctx: LineContext, text: string, column: number, name: string): string {
  if (text === '') {
    throw new DatasetFormatError(ctx.file, ctx.lineNo, `expected an id in column ${column} (${name}), found an empty field`);
  }
  return text;
}

/** Quotes a field for a message, cut short so a binary-ish line cannot flood the terminal. */
export function quote(text: string): string {
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(shown);
}
