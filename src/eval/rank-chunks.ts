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
  if (tf.getBackend() === 'tensorflow') {
    try {
      rankChunksInTensorflow(itemsT as tfc.Tensor2D, embeddings, users, exclude, k, onUser, chunk);
    } finally {
      itemsT.dispose();
    }
    return;
  }
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

/**
 * The native backend masks and takes the top K itself, so only K scores per
 * user come back to JS: on amazon-book, copying every chunk's scores out and
 * scanning them in JS cost more than the products. TopK keeps the lower index
 * first among equal scores, as topK() does; masked items come back only when
 * a user has fewer than K others, and are dropped.
 */
function rankChunksInTensorflow(
  itemsT: tfc.Tensor2D,
  embeddings: FinalEmbeddings,
  users: ArrayLike<number>,
  exclude: readonly Csr[],
  k: number,
  onUser: OnRanked,
  chunk: number,
): void {
  const dim = embeddings.dim;
  const numItems = itemsT.shape[1];
  const take = Math.min(k, numItems);
  for (let start = 0; start < users.length; start += chunk) {
    const count = Math.min(chunk, users.length - start);
    const rows = new Float32Array(count * dim);
    let masked = 0;
    for (let r = 0; r < count; r += 1) {
      const u = users[start + r]!;
      rows.set(embeddings.users.subarray(u * dim, u * dim + dim), r * dim);
      for (const csr of exclude) masked += rowOf(csr, u).length;
    }
    const maskAt = new Int32Array(masked * 2);
    let m = 0;
    for (let r = 0; r < count; r += 1) {
      for (const csr of exclude) {
        for (const item of rowOf(csr, users[start + r]!)) {
          maskAt[m++] = r;
          maskAt[m++] = item;
        }
      }
    }
    const [values, indices] = tf.tidy(() => {
      let scores: tfc.Tensor2D = tf.matMul(tf.tensor2d(rows, [count, dim]), itemsT);
      if (masked > 0) scores = tf.tensorScatterUpdate(scores, tf.tensor2d(maskAt, [masked, 2], 'int32'), tf.fill([masked], -Infinity));
      const top = tf.topk(scores, take);
      return [top.values, top.indices];
    }) as [tfc.Tensor, tfc.Tensor];
    const topScores = values.dataSync() as Float32Array;
    const topItems = indices.dataSync() as Int32Array;
    values.dispose();
    indices.dispose();
    for (let r = 0; r < count; r += 1) {
      let n = 0;
      while (n < take && topScores[r * take + n]! > -Infinity) n += 1;
      onUser(users[start + r]!, topItems.subarray(r * take, r * take + n), topScores.subarray(r * take, r * take + n));
    }
  }
}
