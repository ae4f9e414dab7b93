/**
 * Regions are computed once per training graph and khop, and reused by every
 * run: a binary file per key (src/base/framed-file.ts) under the cache directory (KGNEG_CACHE_DIR,
 * default .kgneg/cache). The key hashes what decides the regions: the trainer's
 * own training pairs (user and item ids and the train CSR: a split rule, seed,
 * carved validation, rating threshold or a grown mapped graph each change
 * them) and khop. A file is written to a
 * temporary name and renamed, so a killed extraction never leaves half a cache.
 *
 * Layout: "KGRG", u32 header length, the header as JSON, zero padding to a
 * multiple of 4 bytes, then the bitset words (little-endian u32).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Csr } from '../base/csr.js';
import { copyWords, readFramedHeader, writeFramedFile } from '../base/framed-file.js';
import type { QueryRunner } from './query-runner.js';
import { extractReachableItems, type ReachableItemSets } from './regions.js';
import type { TrainingData } from './training-data.js';

const MAGIC = 'KGRG';

export interface RegionCacheKey {
  readonly dataset: string;
  /** The walk: LBFS over exactly the trainer's training pairs. */
  readonly walk: 'trainer-pairs';
  /** sha256 of the user ids, item ids and train CSR. */
  readonly trainPairs: string;
  readonly khop: number;
  readonly users: number;
  readonly items: number;
}

function regionCacheKey(data: TrainingData, train: Csr, khop: number): RegionCacheKey {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(data.users.ids));
  hash.update(JSON.stringify(data.items.ids));
  hash.update(new Uint8Array(train.indptr.buffer, train.indptr.byteOffset, train.indptr.byteLength));
  hash.update(new Uint8Array(train.indices.buffer, train.indices.byteOffset, train.indices.byteLength));
  return { dataset: data.dataset.name, walk: 'trainer-pairs', trainPairs: hash.digest('hex'), khop, users: data.users.ids.length, items: data.items.ids.length };
}

function defaultCacheDir(): string {
  return path.resolve(process.env['KGNEG_CACHE_DIR'] || '.kgneg/cache');
}

function regionCachePath(dir: string, key: RegionCacheKey): string {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
  return path.join(dir, 'regions', `${key.dataset.replace(/[^A-Za-z0-9._-]+/g, '_')}-khop${key.khop}-${hash}.bin`);
}

function readRegionCache(file: string, key: RegionCacheKey): ReachableItemSets | undefined {
  if (!existsSync(file)) return undefined;
  const buffer = readFileSync(file);
  const framed = readFramedHeader<{ key: RegionCacheKey; wordsPerUser: number }>(buffer, MAGIC);
  if (typeof framed === 'string') return undefined;
  const { header, offset } = framed;
  if (JSON.stringify(header.key) !== JSON.stringify(key)) return undefined;
  const words = key.users * header.wordsPerUser;
  if (buffer.length !== offset + words * 4) return undefined;
  const bits = copyWords(buffer, offset, new Uint32Array(words));
  return { khop: key.khop, users: key.users, items: key.items, wordsPerUser: header.wordsPerUser, bits };
}

function writeRegionCache(file: string, key: RegionCacheKey, sets: ReachableItemSets): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFramedFile(file, MAGIC, { key, wordsPerUser: sets.wordsPerUser }, [sets.bits]);
}

export interface CachedRegions {
  readonly sets: ReachableItemSets;
  readonly source: 'cache' | 'extracted';
  readonly file: string;
  readonly seconds: number;
}

/** The dataset's reachable-item sets for khop from the cache, or extracted by Cypher and cached. */
export async function cachedReachableItems(
  runner: QueryRunner,
  data: TrainingData,
  train: Csr,
  khop: number,
  options: { readonly minRating?: number; readonly cacheDir?: string; readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<CachedRegions> {
  const began = Date.now();
  const key = regionCacheKey(data, train, khop);
  const file = regionCachePath(options.cacheDir ?? defaultCacheDir(), key);
  const cached = readRegionCache(file, key);
  if (cached) return { sets: cached, source: 'cache', file, seconds: (Date.now() - began) / 1000 };
  const sets = await extractReachableItems(runner, {
    data,
    train,
    khop,
    ...(options.minRating === undefined ? {} : { minRating: options.minRating }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  writeRegionCache(file, key, sets);
  return { sets, source: 'extracted', file, seconds: (Date.now() - began) / 1000 };
}
