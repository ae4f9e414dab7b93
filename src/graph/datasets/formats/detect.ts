import { readdir, stat } from 'node:fs/promises';

import { DatasetFormatError } from '../../errors.js';
import type { DirectoryFormat } from '../records.js';
import { KGAT_FILES } from './kgat.js';
import { KGCN_FILES } from './kgcn.js';
import { MIND_FILES } from './mind.js';

/** What each format needs to be recognised, for messages and docs. */
export const FORMAT_SIGNATURES: Readonly<Record<DirectoryFormat, string>> = {
  kgat: `${KGAT_FILES.train} and ${KGAT_FILES.test}`,
  kgcn: KGCN_FILES.ratings,
  recbole: 'exactly one <name>.inter',
  mind: MIND_FILES.behaviors,
};

/**
 * Tells the format from the file names alone. A directory that matches two
 * formats is an error rather than a guess: the user passes the format.
 */
export async function detectFormat(dir: string): Promise<DirectoryFormat> {
  const names = new Set(await requireDirectory(dir));
  const interFiles = [...names].filter((name) => name.endsWith('.inter'));
  const matches: DirectoryFormat[] = [];
  if (names.has(KGAT_FILES.train) && names.has(KGAT_FILES.test)) matches.push('kgat');
  if (names.has(KGCN_FILES.ratings)) matches.push('kgcn');
  if (interFiles.length === 1) matches.push('recbole');
  if (names.has(MIND_FILES.behaviors)) matches.push('mind');

  const [only, ...others] = matches;
  if (only !== undefined && others.length === 0) return only;
  if (only !== undefined) {
    throw new DatasetFormatError(
      dir,
      undefined,
      `ambiguous dataset format: the files match ${matches.join(' and ')}`,
      'pass the format explicitly',
    );
  }
  const needs = Object.entries(FORMAT_SIGNATURES)
    .map(([format, files]) => `${format} needs ${files}`)
    .join('; ');
  const found = [...names].sort();
  const shown = found.length > 12 ? [...found.slice(0, 12), `and ${found.length - 12} more`] : found;
  throw new DatasetFormatError(
    dir,
    undefined,
    `unknown dataset format: ${needs}; found ${shown.length === 0 ? 'no files' : shown.join(', ')}`,
    interFiles.length > 1 ? `several .inter files (${interFiles.sort().join(', ')}): keep one per directory` : undefined,
  );
}

/** The directory's entry names; a clear error when it is missing or not a directory. */
export async function requireDirectory(dir: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(dir)).isDirectory();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new DatasetFormatError(dir, undefined, 'dataset directory does not exist');
    }
    throw error;
  }
  if (!isDir) throw new DatasetFormatError(dir, undefined, 'expected a dataset directory, found a file');
  return readdir(dir);
}
