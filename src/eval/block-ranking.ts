/**
 * Top-K in two stages on the native backend, exact.
 *
 * TensorFlow's TopKV2 over a chunk's whole score matrix cost more than the
 * matrix product (amazon-book, 2,000 users x 24,915 items: product 210 ms,
 * TopKV2 240 ms, masking the excluded items by scatter another 160 ms). So
 * items are cut into blocks of BLOCK_ITEMS, each block's maximum is taken
 * (one cheap reduction), and only the best blocks are read back and ranked in JS.
 *
 * Why it is exact: a user's best m = K + e items (e items excluded) all lie in
 * the m blocks with the highest maxima. Every block holding one of those items
 * has a maximum at least the m-th best score, and at most m blocks can, since
 * each holds a distinct item scoring that high. The table is padded with zero
 * rows up to whole blocks, and a padded zero may lift the last block above
 * its real maximum: one block more covers it. Within the chosen blocks the
 * excluded and padded items are masked in JS, and the chosen blocks are read
 * in item order so that equal scores keep the lower item first, as TopKV2 and
 * topK() do.
 *
 * Users whose excluded items would need more than MAX_BLOCKS blocks (or half
 * of all blocks) are left to the caller's whole-row path. Users are ranked in
 * chunks sorted by how many blocks they need, so a chunk reads back little.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { rowOf, type Csr } from '../base/csr.js';
import { tf } from '../train/backend.js';
import type { FinalEmbeddings } from '../train/models/types.js';
import { topK } from './top-k.js';

export const BLOCK_ITEMS = 64;
const MAX_BLOCKS = 128;

/** Called with a position in the user list and that user's ranked items and scores (views valid during the call). */
export type OnPosition = (position: number, itemIdxs: Int32Array, scores: Float32Array) => void;

/**
 * Ranks the users it can by blocks and returns the positions (in `users`) of
 * those it left to the caller.
 */
export function rankByBlocks(
  embeddings: FinalEmbeddings,
  users: ArrayLike<number>,
  exclude: readonly Csr[],
  k: number,
  chunk: number,
  onPosition: OnPosition,
): number[] {
  const dim = embeddings.dim;
  const numItems = embeddings.items.length / dim;
  const blocks = Math.ceil(numItems / BLOCK_ITEMS);
  const limit = Math.min(MAX_BLOCKS, Math.floor(blocks / 2));
  const take = Math.min(k, numItems);
  const needs = new Int32Array(users.length);
  const light: number[] = [];
  const heavy: number[] = [];
  for (let p = 0; p < users.length; p += 1) {
    let excluded = 0;
    for (const csr of exclude) excluded += rowOf(csr, users[p]!).length;
    needs[p] = take + excluded + 1;
    (needs[p]! <= limit ? light : heavy).push(p);
  }
  if (light.length === 0) return heavy;
  light.sort((a, b) => needs[a]! - needs[b]! || a - b);

  const padded = new Float32Array(blocks * BLOCK_ITEMS * dim);
  padded.set(embeddings.items);
  const itemsT = tf.tidy(() => tf.transpose(tf.tensor2d(padded, [blocks * BLOCK_ITEMS, dim]))) as tfc.Tensor2D;
  const ranked = new Int32Array(take);
  const rankedScores = new Float32Array(take);
  try {
    for (let start = 0; start < light.length; start += chunk) {
      const positions = light.slice(start, start + chunk);
      const count = positions.length;
      const chosen = needs[positions[count - 1]!]!;
      const rows = new Float32Array(count * dim);
      for (let r = 0; r < count; r += 1) {
        const u = users[positions[r]!]!;
        rows.set(embeddings.users.subarray(u * dim, u * dim + dim), r * dim);
      }
      const scores = tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d(rows, [count, dim]), itemsT), [count * blocks, BLOCK_ITEMS]));
      let candidates: Float32Array;
      const flat = new Int32Array(count * chosen);
      try {
        const best = tf.tidy(() => tf.topk(tf.max(tf.reshape(scores, [count, blocks, BLOCK_ITEMS]), 2), chosen).indices);
        const bestBlocks = best.dataSync() as Int32Array;
        best.dispose();
        for (let r = 0; r < count; r += 1) {
          const own = bestBlocks.subarray(r * chosen, (r + 1) * chosen).sort();
          for (let j = 0; j < chosen; j += 1) flat[r * chosen + j] = r * blocks + own[j]!;
        }
        const gathered = tf.tidy(() => tf.gather(scores, tf.tensor1d(flat, 'int32'), 0));
        candidates = gathered.dataSync() as Float32Array;
        gathered.dispose();
      } finally {
        scores.dispose();
      }
      const width = chosen * BLOCK_ITEMS;
      for (let r = 0; r < count; r += 1) {
        const u = users[positions[r]!]!;
        const offset = r * width;
        // flat holds r * blocks + block, in ascending block order.
        const blockOf = (j: number) => flat[r * chosen + j]! - r * blocks;
        for (const csr of exclude) {
          for (const item of rowOf(csr, u)) {
            const j = indexOfBlock(blockOf, chosen, Math.floor(item / BLOCK_ITEMS));
            if (j >= 0) candidates[offset + j * BLOCK_ITEMS + (item % BLOCK_ITEMS)] = -Infinity;
          }
        }
        if (blockOf(chosen - 1) === blocks - 1) {
          for (let c = numItems - (blocks - 1) * BLOCK_ITEMS; c < BLOCK_ITEMS; c += 1) candidates[offset + (chosen - 1) * BLOCK_ITEMS + c] = -Infinity;
        }
        const n = topK(candidates, offset, width, take, ranked, rankedScores);
        for (let i = 0; i < n; i += 1) {
          const c = ranked[i]!;
          ranked[i] = blockOf(Math.floor(c / BLOCK_ITEMS)) * BLOCK_ITEMS + (c % BLOCK_ITEMS);
        }
        onPosition(positions[r]!, ranked.subarray(0, n), rankedScores.subarray(0, n));
      }
    }
  } finally {
    itemsT.dispose();
  }
  return heavy;
}

/** The index j < count with blockOf(j) === block (blockOf ascending), or -1. */
function indexOfBlock(blockOf: (j: number) => number, count: number, block: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blockOf(mid);
    if (b === block) return mid;
    if (b < block) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
