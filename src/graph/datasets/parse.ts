import { DatasetFormatError } from '../errors.js';
import type { FormatParseOptions } from './builder.js';
import { detectFormat, requireDirectory } from './formats/detect.js';
import { parseKgat } from './formats/kgat.js';
import { parseKgcn } from './formats/kgcn.js';
import { parseMind } from './formats/mind.js';
import { parseRecbole } from './formats/recbole.js';
import { DATASET_FORMATS, type DatasetFormat, type ParsedDataset } from './records.js';

export interface ParseDatasetOptions extends FormatParseOptions {
  /** Skips detection; must be one of DATASET_FORMATS. */
  readonly format?: DatasetFormat;
}

const PARSERS: Readonly<Record<DatasetFormat, (dir: string, options: FormatParseOptions) => Promise<ParsedDataset>>> = {
  kgat: parseKgat,
  kgcn: parseKgcn,
  recbole: parseRecbole,
  mind: parseMind,
};

export async function parseDataset(dir: string, options: ParseDatasetOptions = {}): Promise<ParsedDataset> {
  const { format: requested, ...rest } = options;
  // The format may come straight from a command line, so it is checked at run time.
  if (requested !== undefined && !isDatasetFormat(requested)) {
    throw new DatasetFormatError(
      dir,
      undefined,
      `unknown dataset format ${JSON.stringify(requested)}; known formats: ${DATASET_FORMATS.join(', ')}`,
    );
  }
  await requireDirectory(dir);
  const format = requested ?? (await detectFormat(dir));
  return PARSERS[format](dir, rest);
}

export function isDatasetFormat(value: unknown): value is DatasetFormat {
  return typeof value === 'string' && (DATASET_FORMATS as readonly string[]).includes(value);
}
