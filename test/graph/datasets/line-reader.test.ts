import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { describeFile, fileExists, readLines, type Line } from '../../../src/graph/datasets/line-reader.js';
import type { SourceFile } from '../../../src/graph/datasets/records.js';
import { expectFormatError, useTempDirs, windowsText } from './fixtures.js';

const makeDir = useTempDirs();

async function collect(file: string): Promise<{ lines: Line[]; source: SourceFile | undefined }> {
  const lines: Line[] = [];
  let source: SourceFile | undefined;
  for await (const line of readLines(file, { expect: 'test lines', onSourceFile: (f) => (source = f) })) lines.push(line);
  return { lines, source };
}

describe('readLines', () => {
  it('yields non-blank lines with 1-based line numbers that count blank lines', async () => {
    const dir = await makeDir({ 'a.txt': 'one\n\ntwo\n   \nthree' });
    const { lines } = await collect(join(dir, 'a.txt'));
    expect(lines).toEqual([
      { line: 'one', lineNo: 1 },
      { line: 'two', lineNo: 3 },
      { line: 'three', lineNo: 5 },
    ]);
  });

  it('reads CRLF line ends and a UTF-8 BOM as the same lines as LF', async () => {
    const text = 'a\tb\nc\td\n\ne\tf\n';
    const dir = await makeDir({ 'lf.txt': text, 'crlf.txt': windowsText(text) });
    const lf = await collect(join(dir, 'lf.txt'));
    const crlf = await collect(join(dir, 'crlf.txt'));
    expect(crlf.lines).toEqual(lf.lines);
    expect(lf.lines[0]).toEqual({ line: 'a\tb', lineNo: 1 });
  });

  it('reports the size and sha256 of the bytes read, the same as describeFile', async () => {
    const content = 'héllo\nwörld\n';
    const dir = await makeDir({ 'a.txt': content });
    const file = join(dir, 'a.txt');
    const { source } = await collect(file);
    const bytes = Buffer.from(content, 'utf8');
    expect(source).toEqual({ path: file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(await describeFile(file)).toEqual(source);
  });

  it('decodes a multi-byte character split across read chunks', async () => {
    // The reader reads 1 MiB at a time: put a 2-byte "é" across that boundary.
    const first = `${'x'.repeat(1024 * 1024 - 1)}é`;
    const dir = await makeDir({ 'big.txt': `${first}\nnext\n` });
    const { lines } = await collect(join(dir, 'big.txt'));
    expect(lines.map((l) => l.line.length)).toEqual([first.length, 4]);
    expect(lines[0]?.line.endsWith('xé')).toBe(true);
  });

  it('rejects a NUL byte, naming the line', async () => {
    const dir = await makeDir({ 'bin.txt': Buffer.from('ok\nstill ok\nbad\u0000line\n', 'utf8') });
    await expectFormatError(collect(join(dir, 'bin.txt')), { file: 'bin.txt', line: 3, message: /binary or non-UTF-8/ });
  });

  it('rejects bytes that are not UTF-8, naming the line', async () => {
    const latin1 = Buffer.concat([Buffer.from('ok\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]);
    const dir = await makeDir({ 'latin1.txt': latin1 });
    await expectFormatError(collect(join(dir, 'latin1.txt')), { file: 'latin1.txt', line: 2, message: /non-UTF-8/ });
  });

  it('rejects random binary data', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const dir = await makeDir({ 'garbage.bin': garbage });
    await expectFormatError(collect(join(dir, 'garbage.bin')), { file: 'garbage.bin', message: /binary or non-UTF-8/ });
  });

  it('reports a missing file without a line', async () => {
    const dir = await makeDir({});
    const error = await expectFormatError(collect(join(dir, 'nope.txt')), {
      file: 'nope.txt',
      message: /required file is missing/,
    });
    expect(error.line).toBeUndefined();
  });

  it('reports an empty or whitespace-only file with what was expected', async () => {
    const dir = await makeDir({ 'empty.txt': '', 'blank.txt': '\n  \r\n\t\n' });
    await expectFormatError(collect(join(dir, 'empty.txt')), { file: 'empty.txt', message: 'file is empty; expected test lines' });
    await expectFormatError(collect(join(dir, 'blank.txt')), { file: 'blank.txt', message: 'file is empty; expected test lines' });
  });

  it('tells files from missing paths and directories', async () => {
    const dir = await makeDir({ 'a.txt': 'x' });
    expect(await fileExists(join(dir, 'a.txt'))).toBe(true);
    expect(await fileExists(join(dir, 'missing.txt'))).toBe(false);
    expect(await fileExists(dir)).toBe(false);
  });
});
