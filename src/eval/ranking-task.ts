/**
 * What the main thread hands a ranking worker: everything in SharedArrayBuffers,
 * so that a task costs one copy of the embeddings, not a structured clone per
 * worker, and results come back through shared memory, not messages.
 */
import type { Csr } from '../base/csr.js';

export interface SharedCsr {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
}

export interface RankingTask {
  readonly backend: string;
  readonly dim: number;
  /** [users, dim], shared */
  readonly users: Float32Array;
  /** [items, dim], shared */
  readonly items: Float32Array;
  readonly exclude: readonly SharedCsr[];
  /** The user indices this worker ranks. */
  readonly userList: Int32Array;
  readonly k: number;
  readonly chunkUsers: number;
  /** [userList.length, k]: the top-k item indices, best first. */
  readonly outItems: Int32Array;
  /** [userList.length, k] */
  readonly outScores: Float32Array;
  /** [userList.length]: how many of the k slots are filled. */
  readonly outCounts: Int32Array;
}

export type RankingReply = { readonly ok: true } | { readonly ok: false; readonly error: string };

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function shareCsr(csr: Csr): SharedCsr {
  const indptr = sharedInt32(csr.indptr.length);
  indptr.set(csr.indptr);
  const indices = sharedInt32(csr.indices.length);
  indices.set(csr.indices);
  return { rows: csr.rows, cols: csr.cols, indptr, indices };
}
