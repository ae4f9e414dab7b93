/**
 * The serial core of full ranking: users in chunks, one tfjs matrix product per
 * chunk against the pre-transposed item table, excluded items masked, top-K by
 * a heap scan. Both the main thread and the ranking workers run this.
 */
import type * as tfc from '@tensorflow/tfjs-core';
import { rowOf, type Csr } from '../base/csr.js';
import { backendCapabilities, borrowValues, tf } from '../train/backend.js';
import type { FinalEmbeddings } from '../train/models/types.js';
import { type OnPosition, rankByBlocks } from './block-ranking.js';
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
  if (backendCapabilities().rankByItemBlocks) {
    rankChunksInBackend(embeddings, users, exclude, k, onUser, chunkUsers ?? defaultChunkUsers(embeddings.items.length / dim));
    return;
  }
  const { itemsT, numItems, chunk } = prepare(embeddings, chunkUsers);
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
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(rows, [count, dim]), itemsT));
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
 * Where the backend ranks by item blocks (the native one; see
 * rankByItemBlocks in base/tf-backend.ts), it ranks in two stages (block-ranking.ts):
 * only the best blocks' scores come back to JS. Users with too many excluded
 * items for that are masked and ranked whole inside TensorFlow; TopK keeps the
 * lower index first among equal scores, as topK() does, and masked items come
 * back only when a user has fewer than K others, and are dropped. Results are
 * held until every user is ranked, to be reported in the order of `users`.
 */
function rankChunksInBackend(
  embeddings: FinalEmbeddings,
  users: ArrayLike<number>,
  exclude: readonly Csr[],
  k: number,
  onUser: OnRanked,
  chunk: number,
): void {
  const take = Math.min(k, embeddings.items.length / embeddings.dim);
  const items = new Int32Array(users.length * take);
  const scores = new Float32Array(users.length * take);
  const counts = new Int32Array(users.length);
  const keep: OnPosition = (p, itemIdxs, itemScores) => {
    items.set(itemIdxs, p * take);
    scores.set(itemScores, p * take);
    counts[p] = itemIdxs.length;
  };
  const heavy = rankByBlocks(embeddings, users, exclude, k, chunk, keep);
  if (heavy.length > 0) {
    const heavyUsers = heavy.map((p) => users[p]!);
    const { itemsT } = prepare(embeddings, chunk);
    try {
      for (let start = 0; start < heavyUsers.length; start += chunk) {
        const [values, indices] = chunkTopK(itemsT, embeddings, heavyUsers, exclude, k, start, chunk);
        const topScores = values.dataSync() as Float32Array;
        const topItems = indices.dataSync() as Int32Array;
        values.dispose();
        indices.dispose();
        const count = Math.min(chunk, heavyUsers.length - start);
        deliverChunk(start, count, take, topScores, topItems, (row, itemIdxs, itemScores) => keep(heavy[row]!, itemIdxs, itemScores));
      }
    } finally {
      itemsT.dispose();
    }
  }
  for (let p = 0; p < users.length; p += 1) {
    onUser(users[p]!, items.subarray(p * take, p * take + counts[p]!), scores.subarray(p * take, p * take + counts[p]!));
  }
}

/**
 * The same in-backend ranking with asynchronous reads, for backends that have
 * no other (webgpu; see readsAsync in train/backend.ts). One thread: the
 * products run on the device.
 */
export async function rankChunksAsync(
  embeddings: FinalEmbeddings,
  users: ArrayLike<number>,
  exclude: readonly Csr[],
  k: number,
  onUser: OnRanked,
  chunkUsers?: number,
): Promise<void> {
  const { itemsT, numItems, chunk } = prepare(embeddings, chunkUsers);
  try {
    for (let start = 0; start < users.length; start += chunk) {
      const [values, indices] = chunkTopK(itemsT, embeddings, users, exclude, k, start, chunk);
      try {
        const [topScores, topItems] = await Promise.all([values.data() as Promise<Float32Array>, indices.data() as Promise<Int32Array>]);
        deliverChunk(start, Math.min(chunk, users.length - start), Math.min(k, numItems), topScores, topItems, (row, itemIdxs, itemScores) =>
          onUser(users[row]!, itemIdxs, itemScores),
        );
      } finally {
        values.dispose();
        indices.dispose();
      }
    }
  } finally {
    itemsT.dispose();
  }
}

/** The item table transposed once for every chunk's product ([dim, items]), and the chunk size. */
function prepare(embeddings: FinalEmbeddings, chunkUsers: number | undefined): { itemsT: tfc.Tensor2D; numItems: number; chunk: number } {
  const dim = embeddings.dim;
  const numItems = embeddings.items.length / dim;
  const itemsT = tf.tidy(() => tf.transpose(tf.tensor2d(embeddings.items, [numItems, dim]))) as tfc.Tensor2D;
  return { itemsT, numItems, chunk: chunkUsers ?? defaultChunkUsers(numItems) };
}

/** One chunk's scores with the excluded items at -Infinity, and its top K, as tensors. */
function chunkTopK(
  itemsT: tfc.Tensor2D,
  embeddings: FinalEmbeddings,
  users: ArrayLike<number>,
  exclude: readonly Csr[],
  k: number,
  start: number,
  chunk: number,
): [tfc.Tensor, tfc.Tensor] {
  const dim = embeddings.dim;
  const take = Math.min(k, itemsT.shape[1]);
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
  return tf.tidy(() => {
    let scores: tfc.Tensor2D = tf.matMul(tf.tensor2d(rows, [count, dim]), itemsT);
    if (masked > 0) scores = tf.tensorScatterUpdate(scores, tf.tensor2d(maskAt, [masked, 2], 'int32'), tf.fill([masked], -Infinity));
    const top = tf.topk(scores, take);
    return [top.values, top.indices];
  }) as [tfc.Tensor, tfc.Tensor];
}

/** Hands each row of a chunk's top K (rows start.. of the list) to `onRow`, masked entries dropped. */
function deliverChunk(start: number, count: number, take: number, topScores: Float32Array, topItems: Int32Array, onRow: OnPosition): void {
  for (let r = 0; r < count; r += 1) {
    let n = 0;
    while (n < take && topScores[r * take + n]! > -Infinity) n += 1;
    onRow(start + r, topItems.subarray(r * take, r * take + n), topScores.subarray(r * take, r * take + n));
  }
}
