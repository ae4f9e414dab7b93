/**
 * The serial core of full ranking: users in chunks, one tfjs matrix product per
 * chunk against the pre-transposed item table, excluded items masked, top-K by
 * a heap scan. Both the main thread and the ranking workers run this.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { rowOf, type Csr } from '../sampling/csr.js';
import { borrowValues, tf } from '../train/backend.js';
import type { FinalEmbeddings } from '../train/models/types.js';
import { maskRow, topK } from './top-k.js';

export type OnRanked = (user: number, itemIdxs: Int32Array, scores: Float32Array) => void;

/** Users per matrix product: ~200 MB of scores (amazon-book on wasm: 642 users 12.8 s, 2,000 users 10.1 s). */
export function defaultChunkUsers(numItems: number): number {
  return Math.max(64, Math.floor(50_000_000 / Math.max(numItems, 1)));
}

export function rankChunks(
  embeddings: FinalEmbeddings,
  users: ArrayLike<number>,
  exclude: readonly Csr[],
  k: number,
  onUser: OnRanked,
  chunkUsers?: number,
): void {
  const dim = embeddings.dim;
  const numItems = embeddings.items.length / dim;
  const chunk = chunkUsers ?? defaultChunkUsers(numItems);
  const itemsT = tf.tidy(() => tf.transpose(tf.tensor2d(embeddings.items, [numItems, dim])));
  const ranked = new Int32Array(k);
  const rankedScores = new Float32Array(k);
  try {
    for (let start = 0; start < users.length; start += chunk) {
      const count = Math.min(chunk, users.length - start);
      const rows = new Float32Array(count * dim);
      for (let r = 0; r < count; r += 1) {
        const u = users[start + r]!;
        rows.set(embeddings.users.subarray(u * dim, u * dim + dim), r * dim);
      }
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(rows, [count, dim]), itemsT as tfc.Tensor2D));
      const borrowed = borrowValues(product);
      try {
        const scores = borrowed.values;
        for (let r = 0; r < count; r += 1) {
          const u = users[start + r]!;
          for (const csr of exclude) maskRow(scores, r * numItems, rowOf(csr, u));
          const n = topK(scores, r * numItems, numItems, k, ranked, rankedScores);
          onUser(u, ranked.subarray(0, n), rankedScores.subarray(0, n));
        }
      } finally {
        borrowed.release();
      }
    }
  } finally {
    itemsT.dispose();
  }
}
