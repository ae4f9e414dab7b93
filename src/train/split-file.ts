/**
 * A split (train, validation and test CSRs) as one binary file, for machines
 * that have no Neo4j: a GPU machine reached by a small upload and no network
 * runs `bench train --split-file` on what `bench gpu-pack` exported here.
 *
 * Layout: "KGSP", u32 header length, the header as JSON, zero padding to a
 * multiple of 4 bytes, then the Int32 arrays named in the header, in order
 * (little-endian).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { KgnegError } from '../graph/errors.js';
import type { Csr } from '../base/csr.js';
import type { SplitData } from './split-data.js';

const MAGIC = 'KGSP';
const ARRAYS = ['train.indptr', 'train.indices', 'valid.indptr', 'valid.indices', 'test.indptr', 'test.indices', 'itemCounts'] as const;

interface Header {
  readonly dataset: string;
  readonly numUsers: number;
  readonly numItems: number;
  readonly validation: SplitData['validation'];
  readonly lengths: Record<(typeof ARRAYS)[number], number>;
}

export function writeSplitFile(file: string, dataset: string, split: SplitData): void {
  const arrays: Record<(typeof ARRAYS)[number], Int32Array> = {
    'train.indptr': split.train.indptr,
    'train.indices': split.train.indices,
    'valid.indptr': split.valid.indptr,
    'valid.indices': split.valid.indices,
    'test.indptr': split.test.indptr,
    'test.indices': split.test.indices,
    itemCounts: split.itemCounts,
  };
  const header: Header = {
    dataset,
    numUsers: split.numUsers,
    numItems: split.numItems,
    validation: split.validation,
    lengths: Object.fromEntries(ARRAYS.map((name) => [name, arrays[name].length])) as Header['lengths'],
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align4(8 + json.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, 4);
  json.copy(prefix, 8);
  writeFileSync(file, Buffer.concat([prefix, ...ARRAYS.map((name) => Buffer.from(arrays[name].buffer, arrays[name].byteOffset, arrays[name].byteLength))]));
}

export function readSplitFile(file: string): { dataset: string; split: SplitData } {
  const buffer = readFileSync(file);
  if (buffer.length < 8 || buffer.toString('latin1', 0, 4) !== MAGIC) throw new KgnegError(`${file} is not a kgneg split file (made by \`npm run bench -- gpu-pack\`)`);
  const header = JSON.parse(buffer.toString('utf8', 8, 8 + buffer.readUInt32LE(4))) as Header;
  let offset = align4(8 + buffer.readUInt32LE(4));
  const arrays = {} as Record<(typeof ARRAYS)[number], Int32Array>;
  for (const name of ARRAYS) {
    const length = header.lengths[name];
    if (offset + length * 4 > buffer.length) throw new KgnegError(`${file} is truncated (at ${name})`);
    // A copy into an aligned buffer: a Buffer's byteOffset need not be a multiple of 4.
    const values = new Int32Array(length);
    new Uint8Array(values.buffer).set(buffer.subarray(offset, offset + length * 4));
    arrays[name] = values;
    offset += length * 4;
  }
  const csr = (part: 'train' | 'valid' | 'test'): Csr => ({ rows: header.numUsers, cols: header.numItems, indptr: arrays[`${part}.indptr`], indices: arrays[`${part}.indices`] });
  return {
    dataset: header.dataset,
    split: {
      numUsers: header.numUsers,
      numItems: header.numItems,
      train: csr('train'),
      valid: csr('valid'),
      test: csr('test'),
      itemCounts: arrays.itemCounts,
      validation: header.validation,
    },
  };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
