import { DatasetFormatError } from '../errors.js';
import type { FormatParseOptions } from './builder.js';
import { detectFormat, requireDirectory } from './formats/detect.js';
import { parseKgat } from './formats/kgat.js';
import { parseKgcn } from './formats/kgcn.js';
import { parseMind } from './formats/mind.js';
import { parseRecbole } from './formats/recbole.js';
import { DIRECTORY_FORMATS, type DatasetFormat, type DirectoryFormat, type ParsedDataset } from './records.js';

export interface ParseDatasetOptions extends FormatParseOptions {
  /** Skips detection; must be one of DIRECTORY_FORMATS ('csv' is read through a mapping file: parseCsvMapping). */
  readonly format?: DatasetFormat;
}

const PARSERS: Readonly<Record<DirectoryFormat, (dir: string, options: FormatParseOptions) => Promise<ParsedDataset>>> = {
  kgat: parseKgat,
  kgcn: parseKgcn,
  recbole: parseRecbole,
  mind: parseMind,
};

export async function parseDataset(dir: string, options: ParseDatasetOptions = {}): Promise<ParsedDataset> {
  const { format: requested, ...rest } = options;
  // The format may come straight from a command line, so it is checked at run time.
  if (requested === 'csv') {
    throw new DatasetFormatError(
      dir,
      undefined,
      `format "csv" is not read from a directory: a mapping file names the CSV/TSV files and their columns`,
      'pass the mapping instead: npm run migrate -- --mapping FILE (see src/graph/mapping/schema.ts)',
    );
  }
  if (requested !== undefined && !isDatasetFormat(requested)) {
    throw new DatasetFormatError(
      dir,
      undefined,
      `unknown dataset format ${JSON.stringify(requested)}; known formats: ${DIRECTORY_FORMATS.join(', ')}`,
    );
  }
  await requireDirectory(dir);
  const format = requested ?? (await detectFormat(dir));
  return PARSERS[format](dir, rest);
}

/** True for the formats a directory can hold (not 'csv', which needs a mapping file). */
export function isDatasetFormat(value: unknown): value is DirectoryFormat {
  return typeof value === 'string' && (DIRECTORY_FORMATS as readonly string[]).includes(value);
}
