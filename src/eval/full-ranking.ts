/**
 * Full ranking: every user against every item, the items a user may not get
 * (training, and validation when testing) excluded, top-K by the model's
 * inner-product score. Users are scored in chunks (see rank-chunks.ts), so
 * memory stays at chunk x items floats whatever the dataset size.
 *
 * On the single-threaded backends (wasm, cpu: the capability
 * rankOnWorkerThreads) the users are split between the main thread and
 * ranking worker threads, one per further core: the matrix product dominates
 * and wasm runs it on one core. The native TensorFlow backend is
 * multi-threaded already and ranks on the main thread.
 */
import { rowOf, type Csr } from '../base/csr.js';
import { backendCapabilities, readsAsync, tf } from '../train/backend.js';
import type { FinalEmbeddings } from '../train/models/types.js';
import { MetricSums } from './metrics.js';
import { defaultChunkUsers, rankChunks, rankChunksAsync, type OnRanked } from './rank-chunks.js';
import { rankingWorkerCount, runOnWorkers } from './ranking-pool.js';
import { shareCsr, sharedFloat32, sharedInt32, type RankingTask } from './ranking-task.js';

export interface RankingInput {
  readonly embeddings: FinalEmbeddings;
  /** Items not to rank, per user (sorted rows). */
  readonly exclude: readonly Csr[];
  /** Held-out items per user; users with none are skipped. */
  readonly truth: Csr;
  readonly ks: readonly number[];
  readonly options?: RankOptions;
}

export interface RankOptions {
  readonly chunkUsers?: number;
  /** Threads that rank, the main thread included (default: one per core, see ranking-pool.ts). */
  readonly threads?: number;
}

export interface RankingResult {
  readonly metrics: Record<string, number>;
  readonly users: number;
  readonly seconds: number;
  readonly threads: number;
}

/** Below this many user x item scores, starting the workers costs more than it saves. */
const PARALLEL_MIN_SCORES = 20_000_000;

export async function evaluateFullRanking(input: RankingInput): Promise<RankingResult> {
  const began = Date.now();
  const { truth, ks } = input;
  const sums = new MetricSums(ks);
  const users: number[] = [];
  for (let u = 0; u < truth.rows; u += 1) if (truth.indptr[u + 1]! > truth.indptr[u]!) users.push(u);
  const threads = await rankUsers(
    input.embeddings,
    users,
    input.exclude,
    Math.max(...ks),
    (u, itemIdxs) => sums.add(itemIdxs, rowOf(truth, u)),
    input.options,
  );
  return { metrics: sums.means(), users: sums.users, seconds: (Date.now() - began) / 1000, threads };
}

/**
 * Calls `onUser` with each user's top-k item indices and scores, in the order
 * of `users` (views valid during the call only). Returns the threads used.
 */
export async function rankUsers(
  embeddings: FinalEmbeddings,
  users: readonly number[],
  exclude: readonly Csr[],
  k: number,
  onUser: OnRanked,
  options: RankOptions = {},
): Promise<number> {
  const numItems = embeddings.items.length / embeddings.dim;
  const chunk = options.chunkUsers ?? defaultChunkUsers(numItems);
  if (readsAsync()) {
    await rankChunksAsync(embeddings, users, exclude, k, onUser, chunk);
    return 1;
  }
  const wanted = options.threads ?? (backendCapabilities().rankOnWorkerThreads && users.length * numItems >= PARALLEL_MIN_SCORES ? rankingWorkerCount() + 1 : 1);
  // A thread is worth starting for a few hundred users at least.
  const threads = Math.max(1, Math.min(wanted, Math.ceil(users.length / Math.min(chunk, 256))));
  if (threads === 1) {
    rankChunks(embeddings, users, exclude, k, onUser, chunk);
    return 1;
  }

  const sharedUsers = sharedFloat32(embeddings.users.length);
  sharedUsers.set(embeddings.users);
  const sharedItems = sharedFloat32(embeddings.items.length);
  sharedItems.set(embeddings.items);
  const sharedExclude = exclude.map(shareCsr);
  const per = Math.ceil(users.length / threads);
  const tasks: RankingTask[] = [];
  for (let t = 1; t < threads; t += 1) {
    const part = users.slice(t * per, (t + 1) * per);
    const userList = sharedInt32(part.length);
    userList.set(part);
    tasks.push({
      backend: tf.getBackend(),
      dim: embeddings.dim,
      users: sharedUsers,
      items: sharedItems,
      exclude: sharedExclude,
      userList,
      k,
      chunkUsers: chunk,
      outItems: sharedInt32(part.length * k),
      outScores: sharedFloat32(part.length * k),
      outCounts: sharedInt32(part.length),
    });
  }
  // Workers start on their parts while the main thread ranks the first part.
  const working = runOnWorkers(tasks);
  let mainError: unknown;
  try {
    rankChunks(embeddings, users.slice(0, per), exclude, k, onUser, chunk);
  } catch (error) {
    mainError = error;
  }
  await working;
  if (mainError) throw mainError;
  for (const task of tasks) {
    for (let r = 0; r < task.userList.length; r += 1) {
      const n = task.outCounts[r]!;
      onUser(task.userList[r]!, task.outItems.subarray(r * k, r * k + n), task.outScores.subarray(r * k, r * k + n));
    }
  }
  return threads;
}
