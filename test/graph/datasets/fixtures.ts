/** Shared by the dataset parser tests: where the real datasets are, temp fixtures, error checks. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

import { DatasetFormatError } from '../../../src/graph/errors.js';
import type { ParsedDataset } from '../../../src/graph/datasets/records.js';

/** /work/shared/datasets next to the repository; never copied into it. */
export const SHARED_DATASETS_DIR = fileURLToPath(new URL('../../../../shared/datasets/', import.meta.url));
export const hasSharedDatasets = existsSync(SHARED_DATASETS_DIR);
export const sharedDataset = (name: string): string => join(SHARED_DATASETS_DIR, name);

/** Lines of a file split the plain way, for counts computed independently of the parsers. */
export function fileLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/** Returns a function that writes a temp directory of files; all are removed after the test file. */
export function useTempDirs(): (files: Record<string, string | Uint8Array>) => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (files) => {
    const dir = await mkdtemp(join(tmpdir(), 'kgneg-datasets-'));
    made.push(dir);
    await Promise.all(Object.entries(files).map(([name, content]) => writeFile(join(dir, name), content)));
    return dir;
  };
}

/** CRLF line ends and a UTF-8 BOM, the way a Windows editor saves a file. */
export function windowsText(text: string): string {
  return `\uFEFF${text.replace(/\n/g, '\r\n')}`;
}

/**
 * Awaits a parse expected to fail and checks it is a DatasetFormatError whose
 * message names the file (its base name) and, when given, the line.
 */
export async function expectFormatError(
  promise: Promise<unknown>,
  expected: { file: string; line?: number; message?: string | RegExp },
): Promise<DatasetFormatError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetFormatError);
  const e = error as DatasetFormatError;
  expect(e.file.endsWith(expected.file)).toBe(true);
  expect(e.message).toContain(expected.file);
  if (expected.line !== undefined) {
    expect(e.line).toBe(expected.line);
    expect(e.message).toContain(`${expected.file}:${expected.line}:`);
  }
  if (expected.message !== undefined) expect(e.message).toMatch(expected.message);
  return e;
}

/**
 * The parse result without the file checksums, and with base names for the
 * item attribute files, to compare two encodings (or directories) of the same data.
 */
export function withoutSourceFiles(parsed: ParsedDataset): Omit<ParsedDataset, 'sourceFiles'> {
  const { sourceFiles: _ignored, ...rest } = parsed;
  return { ...rest, itemAttributeFiles: rest.itemAttributeFiles.map((file) => basename(file)) };
}
