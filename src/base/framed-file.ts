/**
 * The binary files kgneg keeps beside Neo4j (region cache, model
 * checkpoints): a 4-byte magic, a u32 header length, the header as JSON,
 * zero padding to a multiple of 4 bytes, then raw little-endian arrays. A
 * file is written to a temporary name and renamed, so a killed writer never
 * leaves half a file under the real name.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

export function writeFramedFile(file: string, magic: string, header: unknown, arrays: readonly ArrayBufferView[]): void {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align4(8 + json.length));
  prefix.write(magic, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 4);
  json.copy(prefix, 8);
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeFully(fd, prefix);
    for (const array of arrays) writeFully(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** The header and where the arrays begin, or a reason the buffer is not such a file. */
export function readFramedHeader<H>(buffer: Buffer, magic: string): { header: H; offset: number } | 'not-framed' | 'bad-header' {
  if (buffer.length < 8 || buffer.toString('latin1', 0, 4) !== magic) return 'not-framed';
  const length = buffer.readUInt32LE(4);
  try {
    return { header: JSON.parse(buffer.toString('utf8', 8, 8 + length)) as H, offset: align4(8 + length) };
  } catch {
    return 'bad-header';
  }
}

/** `count` float32 or uint32 values from `offset`, copied: a Buffer's byteOffset need not be a multiple of 4. */
export function copyWords<T extends Float32Array | Uint32Array>(buffer: Buffer, offset: number, into: T): T {
  new Uint8Array(into.buffer, into.byteOffset, into.byteLength).set(buffer.subarray(offset, offset + into.byteLength));
  return into;
}

function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
