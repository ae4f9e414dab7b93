/**
 * Seeded train/valid/test splits. The same function runs at ingestion and
 * when a loaded dataset is re-split from what Neo4j holds, so a split may
 * depend only on each record's identity and contents (its key, timestamp and
 * impression), never on the order records arrive in: every ranking below
 * sorts on a seeded hash of the record's key and breaks ties on the key.
 */
import { KgnegError } from '../errors.js';
import { interactionKey, type ExposureRecord, type InteractionRecord, type Split, type SplitRule } from './records.js';
import type { ExternalId } from '../../base/ids.js';

export const SPLIT_RULE_DESCRIPTIONS: Readonly<Record<SplitRule, string>> = {
  fixed: "the files' own split (KGAT train.txt / test.txt); a seed changes nothing",
  'random-6-2-2':
    'all interactions ranked by a seeded hash: the first 60% train, the next 20% valid, the rest test (KGCN papers); exposures, if any, are training data',
  'user-time-8-1-1':
    'per user, oldest first (equal times ordered by a seeded hash): 80% train, then 10% valid, then 10% test, counted as RecBole does; exposures, if any, are training data',
  'impression-8-1-1':
    'whole impression logs ranked by a seeded hash: 80% train, 10% valid, the rest test; history clicks always train',
};

/** Assigns `split` on every record in place, as `rule` says, for `seed` (an integer in [0, 2^32)). */
export function assignSplits(
  rule: SplitRule,
  seed: number,
  interactions: InteractionRecord[],
  exposures: ExposureRecord[],
): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new KgnegError(`split seed must be an integer from 0 to ${0xffffffff}, got ${seed}`);
  }
  switch (rule) {
    case 'fixed':
      return checkFixed(interactions, exposures);
    case 'random-6-2-2':
      trainOnly(exposures);
      return splitRandom(seed, interactions);
    case 'user-time-8-1-1':
      trainOnly(exposures);
      return splitUserTime(seed, interactions);
    case 'impression-8-1-1':
      return splitByImpression(seed, interactions, exposures);
    default: {
      const unknown: never = rule;
      throw new KgnegError(`unknown split rule ${JSON.stringify(unknown)}`);
    }
  }
}

function checkFixed(interactions: readonly InteractionRecord[], exposures: readonly ExposureRecord[]): void {
  const missing = interactions.find((r) => r.split === null) ?? exposures.find((r) => r.split === null);
  if (missing !== undefined) {
    throw new KgnegError(`the split rule is 'fixed' but ${interactionKey(missing)} has no split`, {
      hint: 'a fixed split must come from the dataset files',
    });
  }
}

/**
 * Under the rules that split interactions alone (a CSV mapping's exposures:
 * (user, item) shown and not clicked, without impression logs), exposures are
 * training data: exposure-aware samplers draw negatives from the training
 * exposures, and evaluation is full ranking of the held-out interactions,
 * which needs no exposures. Only impression-8-1-1 holds out whole impressions
 * (a click with the items shown beside it) for the impression protocols.
 */
function trainOnly(exposures: ExposureRecord[]): void {
  for (const r of exposures) r.split = 'train';
}

function splitRandom(seed: number, interactions: InteractionRecord[]): void {
  const ranked = rankByHash(seed, interactions, interactionKey);
  const n = ranked.length;
  const nTrain = Math.round(0.6 * n);
  const nValid = Math.round(0.2 * n);
  ranked.forEach((r, i) => {
    r.split = i < nTrain ? 'train' : i < nTrain + nValid ? 'valid' : 'test';
  });
}

function splitUserTime(seed: number, interactions: InteractionRecord[]): void {
  const byUser = new Map<ExternalId, { r: InteractionRecord; key: string; hash: number }[]>();
  for (const r of interactions) {
    const key = interactionKey(r);
    let list = byUser.get(r.userId);
    if (list === undefined) {
      list = [];
      byUser.set(r.userId, list);
    }
    list.push({ r, key, hash: hash32(seed, key) });
  }
  for (const list of byUser.values()) {
    list.sort((a, b) => (a.r.timestamp ?? 0) - (b.r.timestamp ?? 0) || a.hash - b.hash || compareStrings(a.key, b.key));
    const [nTrain, nValid] = recboleSplitCounts(list.length, [0.8, 0.1, 0.1]);
    list.forEach(({ r }, i) => {
      r.split = i < nTrain ? 'train' : i < nTrain + nValid ? 'valid' : 'test';
    });
  }
}

/**
 * RecBole 1.x Dataset._calcu_split_ids (recbole/data/dataset/dataset.py):
 * each part but the first gets int(ratio * n); the first gets the rest; then,
 * from the last part backwards, a part whose share is between 0 and 1 record
 * takes one record from the first part as long as the first keeps more than
 * one. So 1 record -> [1,0,0], 2 -> [1,0,1], 3..9 -> [n-2,1,1], 10 -> [8,1,1],
 * 15 -> [13,1,1], 20 -> [16,2,2]. Float products are JS doubles, as in Python.
 */
export function recboleSplitCounts(n: number, ratios: readonly [number, number, number]): [number, number, number] {
  const total = ratios[0] + ratios[1] + ratios[2];
  const normalized = ratios.map((r) => r / total);
  const counts = normalized.map((r) => Math.trunc(r * n));
  counts[0] = n - (counts[1] ?? 0) - (counts[2] ?? 0);
  for (let i = 1; i < normalized.length; i += 1) {
    if ((counts[0] ?? 0) <= 1) break;
    const part = normalized.length - i;
    const share = (normalized[part] ?? 0) * n;
    if (share > 0 && share < 1) {
      counts[part] = (counts[part] ?? 0) + 1;
      counts[0] = (counts[0] ?? 0) - 1;
    }
  }
  return [counts[0] ?? 0, counts[1] ?? 0, counts[2] ?? 0];
}

/**
 * MIND: a whole impression log goes to one split, so a click and the news
 * shown beside it are never separated. History clicks predate every log and
 * stay in train; an interaction without an impression counts as history.
 */
function splitByImpression(seed: number, interactions: InteractionRecord[], exposures: ExposureRecord[]): void {
  const impressions = new Map<string, ExternalId>();
  for (const r of [...interactions, ...exposures]) {
    if (r.impressionId !== undefined) impressions.set(impressionKey(r.impressionId), r.impressionId);
  }
  const ranked = rankByHash(seed, [...impressions.keys()], (key) => key);
  const k = ranked.length;
  const nTrain = Math.round(0.8 * k);
  const nValid = Math.round(0.1 * k);
  const splitOf = new Map<string, Split>();
  ranked.forEach((key, i) => splitOf.set(key, i < nTrain ? 'train' : i < nTrain + nValid ? 'valid' : 'test'));

  const lookup = (impressionId: ExternalId): Split => splitOf.get(impressionKey(impressionId)) ?? 'train';
  for (const r of interactions) r.split = r.impressionId === undefined ? 'train' : lookup(r.impressionId);
  for (const r of exposures) r.split = lookup(r.impressionId);
}

/** JSON, like the record keys, so impression 7 and impression "7" stay apart. */
function impressionKey(impressionId: ExternalId): string {
  return JSON.stringify(impressionId);
}

function rankByHash<T>(seed: number, values: readonly T[], keyOf: (value: T) => string): T[] {
  const keyed = values.map((value) => {
    const key = keyOf(value);
    return { value, key, hash: hash32(seed, key) };
  });
  keyed.sort((a, b) => a.hash - b.hash || compareStrings(a.key, b.key));
  return keyed.map((k) => k.value);
}

/** Code-unit order: locale-independent, so every machine ranks alike. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const encoder = new TextEncoder();
// Reused across calls: hashing 846k keys should not allocate 846k byte arrays.
let scratch = new Uint8Array(256);

/**
 * MurmurHash3 x86 32-bit of the key's UTF-8 bytes, as an unsigned integer.
 * A standard hash, so a split can be reproduced outside this code (e.g.
 * Python's mmh3.hash(key, seed, signed=False)).
 */
export function hash32(seed: number, key: string): number {
  if (scratch.length < key.length * 3) scratch = new Uint8Array(key.length * 3);
  const length = encoder.encodeInto(key, scratch).written;
  const bytes = scratch;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = length - (length % 4);
  for (let i = 0; i < blocks; i += 4) {
    let k =
      (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8) | ((bytes[i + 2] ?? 0) << 16) | ((bytes[i + 3] ?? 0) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= (bytes[blocks + 2] ?? 0) << 16;
    if (tail >= 2) k ^= (bytes[blocks + 1] ?? 0) << 8;
    k ^= bytes[blocks] ?? 0;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
