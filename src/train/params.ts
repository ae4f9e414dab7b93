/**
 * Parameter tables live in Float32Arrays owned by the model, not in tf.Variables:
 * an MF batch touches a few thousand of ~100k rows, and keeping the tables in JS
 * lets the optimizer update just those rows (see optim/adam.ts). tfjs computes
 * each batch's forward and backward pass on the gathered rows.
 */
import type { Rng } from '../base/rng.js';

export class ParamTable {
  readonly name: string;
  readonly rows: number;
  readonly dim: number;
  /** [rows, dim], row-major */
  readonly data: Float32Array;

  constructor(name: string, rows: number, dim: number, data?: Float32Array) {
    if (data && data.length !== rows * dim) throw new Error(`${name}: expected ${rows * dim} values, got ${data.length}`);
    this.name = name;
    this.rows = rows;
    this.dim = dim;
    this.data = data ?? new Float32Array(rows * dim);
  }

  /** Xavier/Glorot uniform, as the KGPolicy, RecNS and LightGCN codes initialise embeddings. */
  static xavier(name: string, rows: number, dim: number, rng: Rng): ParamTable {
    const table = new ParamTable(name, rows, dim);
    const limit = Math.sqrt(6 / (rows + dim));
    for (let k = 0; k < table.data.length; k += 1) table.data[k] = (rng.nextFloat() * 2 - 1) * limit;
    return table;
  }

  /** Copies the given rows into `out` ([rowIdxs.length, dim]). */
  gather(rowIdxs: Int32Array, out: Float32Array = new Float32Array(rowIdxs.length * this.dim)): Float32Array {
    const dim = this.dim;
    for (let r = 0; r < rowIdxs.length; r += 1) {
      const from = rowIdxs[r]! * dim;
      out.set(this.data.subarray(from, from + dim), r * dim);
    }
    return out;
  }

  #slots: RowSlots | undefined;

  /** Sums gradient rows per distinct row of this table (see accumulateRows), reusing one scratch. */
  accumulate(rowIdxs: Int32Array, grads: Float32Array): { uniqueRows: Int32Array; summed: Float32Array } {
    this.#slots ??= new RowSlots(this.rows);
    return accumulateRows(rowIdxs, grads, this.dim, this.#slots);
  }
}

/**
 * Sums per-occurrence gradient rows into one row per distinct index: a user
 * that appears twice in a batch gets one update with both contributions.
 */
export function accumulateRows(
  rowIdxs: Int32Array,
  grads: Float32Array,
  dim: number,
  slots: RowSlots = new RowSlots(maxRow(rowIdxs) + 1),
): { uniqueRows: Int32Array; summed: Float32Array } {
  const slot = slots.table;
  const order = new Int32Array(rowIdxs.length);
  let unique = 0;
  for (let r = 0; r < rowIdxs.length; r += 1) {
    const row = rowIdxs[r]!;
    if (slot[row] === -1) {
      slot[row] = unique;
      order[unique++] = row;
    }
  }
  const summed = new Float32Array(unique * dim);
  for (let r = 0; r < rowIdxs.length; r += 1) {
    const to = slot[rowIdxs[r]!]! * dim;
    const from = r * dim;
    for (let c = 0; c < dim; c += 1) summed[to + c]! += grads[from + c]!;
  }
  // Left as found (every entry -1), so the next batch can reuse it without a fill.
  for (let u = 0; u < unique; u += 1) slot[order[u]!] = -1;
  return { uniqueRows: order.slice(0, unique), summed };
}

/**
 * Scratch for accumulateRows: each row's slot among the batch's distinct rows.
 * One per table, kept across batches: a Map per batch cost 2.3 ms of an
 * amazon-book MF step, a table-sized array allocated per batch would churn the GC.
 */
class RowSlots {
  readonly table: Int32Array;

  constructor(rows: number) {
    this.table = new Int32Array(rows).fill(-1);
  }
}

function maxRow(rowIdxs: Int32Array): number {
  let most = -1;
  for (let r = 0; r < rowIdxs.length; r += 1) if (rowIdxs[r]! > most) most = rowIdxs[r]!;
  return most;
}
