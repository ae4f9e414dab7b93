import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

import { DatasetFormatError } from '../errors.js';
import type { SourceFile } from './records.js';

export interface Line {
  readonly line: string;
  /** 1-based, counting every line of the file (blank ones included). */
  readonly lineNo: number;
}

export interface ReadLinesOptions {
  /**
   * What a line should look like, for the "file is empty" message. Every file
   * a parser reads must hold at least one non-blank line.
   */
  readonly expect: string;
  /** Receives the file's size and checksum once it has been read to the end. */
  readonly onSourceFile?: (file: SourceFile) => void;
}

/**
 * A line longer than this is taken for binary data: without the limit a
 * file with no newline would be accumulated into one giant string.
 */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** True when `file` exists and is a regular file; lets parsers tell optional files apart. */
export async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Streams a text file line by line. Strips a UTF-8 BOM and CR line ends,
 * skips blank lines (no format here gives them a meaning) but counts them in
 * lineNo, and rejects binary or non-UTF-8 content with the line it is on.
 * The size and sha256 are computed from the same bytes, so a file is read once.
 */
export async function* readLines(file: string, options: ReadLinesOptions): AsyncGenerator<Line, void, undefined> {
  await requireFile(file);
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 });
  let bytes = 0;
  let pending = '';
  let lineNo = 0;
  let yielded = 0;

  const check = (raw: string, no: number): string | undefined => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (no === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (line.includes('\0')) {
      throw new DatasetFormatError(file, no, 'binary or non-UTF-8 data (a NUL byte)', 'dataset files must be UTF-8 text');
    }
    if (line.includes('\uFFFD')) {
      throw new DatasetFormatError(
        file,
        no,
        'binary or non-UTF-8 data (bytes that are not valid UTF-8)',
        'dataset files must be UTF-8 text; re-encode the file (e.g. iconv -t UTF-8)',
      );
    }
    return line.trim() === '' ? undefined : line;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      hash.update(chunk);
      const text = pending + decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        lineNo += 1;
        const line = check(text.slice(start, nl), lineNo);
        start = nl + 1;
        if (line !== undefined) {
          yielded += 1;
          yield { line, lineNo };
        }
      }
      pending = text.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        throw new DatasetFormatError(
          file,
          lineNo + 1,
          `binary or non-UTF-8 data (a line longer than ${MAX_LINE_CHARS} characters)`,
          'dataset files must be UTF-8 text with one record per line',
        );
      }
    }
    pending += decoder.end();
    if (pending !== '') {
      lineNo += 1;
      const line = check(pending, lineNo);
      if (line !== undefined) {
        yielded += 1;
        yield { line, lineNo };
      }
    }
  } finally {
    stream.destroy();
  }

  if (yielded === 0) {
    throw new DatasetFormatError(file, undefined, `file is empty; expected ${options.expect}`);
  }
  options.onSourceFile?.({ path: file, bytes, sha256: hash.digest('hex') });
}

/** Size and sha256 of a file, read on its own (for files not parsed line by line). */
export async function describeFile(file: string): Promise<SourceFile> {
  await requireFile(file);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { path: file, bytes, sha256: hash.digest('hex') };
}

async function requireFile(file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    if (isNotFound(error)) throw new DatasetFormatError(file, undefined, 'required file is missing');
    throw error;
  }
  if (!isFile) throw new DatasetFormatError(file, undefined, 'expected a file, found a directory or special file');
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
