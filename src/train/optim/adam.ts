/**
 * Adam over ParamTables, in two forms behind one interface:
 * - rows (sparse, "lazy Adam"): only the rows a batch touched get their moments
 *   and values updated; bias correction uses the global step. This is what makes
 *   an MF/GMF epoch cost what its batches touch instead of (users + items) x dim
 *   per step (measured in `npm run bench -- train`).
 * - dense: every row, for models whose loss touches every row (LightGCN's
 *   propagation, JNSKR's whole-data loss).
 */
import type { ParamTable } from '../params.js';

export interface AdamConfig {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

const DEFAULT_ADAM: AdamConfig = Object.freeze({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });

export interface Optimizer {
  /** Call once per batch before applying its updates. */
  beginStep(): void;
  /** Update the listed (distinct) rows with their gradients ([rows.length, dim]). */
  applyRows(table: ParamTable, rowIdxs: Int32Array, grads: Float32Array): void;
  /** Update every row ([table.rows, dim]). */
  applyDense(table: ParamTable, grads: Float32Array): void;
  readonly step: number;
}

export class Adam implements Optimizer {
  readonly config: AdamConfig;
  readonly #m = new Map<ParamTable, Float32Array>();
  readonly #v = new Map<ParamTable, Float32Array>();
  #step = 0;
  #lrT = 0;

  constructor(config: Partial<AdamConfig> = {}) {
    this.config = { ...DEFAULT_ADAM, ...config };
  }

  get step(): number {
    return this.#step;
  }

  beginStep(): void {
    this.#step += 1;
    const { beta1, beta2, learningRate } = this.config;
    this.#lrT = (learningRate * Math.sqrt(1 - beta2 ** this.#step)) / (1 - beta1 ** this.#step);
  }

  applyRows(table: ParamTable, rowIdxs: Int32Array, grads: Float32Array): void {
    const { m, v } = this.#state(table);
    const dim = table.dim;
    const { beta1, beta2, epsilon } = this.config;
    const lrT = this.#lrT;
    const w = table.data;
    for (let r = 0; r < rowIdxs.length; r += 1) {
      const base = rowIdxs[r]! * dim;
      const g0 = r * dim;
      for (let c = 0; c < dim; c += 1) {
        const k = base + c;
        const g = grads[g0 + c]!;
        const mk = beta1 * m[k]! + (1 - beta1) * g;
        const vk = beta2 * v[k]! + (1 - beta2) * g * g;
        m[k] = mk;
        v[k] = vk;
        w[k] = w[k]! - (lrT * mk) / (Math.sqrt(vk) + epsilon);
      }
    }
  }

  applyDense(table: ParamTable, grads: Float32Array): void {
    const { m, v } = this.#state(table);
    const { beta1, beta2, epsilon } = this.config;
    const lrT = this.#lrT;
    const w = table.data;
    for (let k = 0; k < w.length; k += 1) {
      const g = grads[k]!;
      const mk = beta1 * m[k]! + (1 - beta1) * g;
      const vk = beta2 * v[k]! + (1 - beta2) * g * g;
      m[k] = mk;
      v[k] = vk;
      w[k] = w[k]! - (lrT * mk) / (Math.sqrt(vk) + epsilon);
    }
  }

  #state(table: ParamTable): { m: Float32Array; v: Float32Array } {
    let m = this.#m.get(table);
    let v = this.#v.get(table);
    if (!m || !v) {
      m = new Float32Array(table.data.length);
      v = new Float32Array(table.data.length);
      this.#m.set(table, m);
      this.#v.set(table, v);
    }
    return { m, v };
  }
}

/**
 * Dense updates for every table, even when a batch touched few rows: what a
 * tf.Variable-based optimizer does. Kept to measure what the row updates save
 * (`npm run bench -- train`), and as the path for models whose loss touches
 * every row anyway.
 */
export class DenseAdam implements Optimizer {
  readonly #inner: Adam;

  constructor(config: Partial<AdamConfig> = {}) {
    this.#inner = new Adam(config);
  }

  get step(): number {
    return this.#inner.step;
  }

  beginStep(): void {
    this.#inner.beginStep();
  }

  applyRows(table: ParamTable, rowIdxs: Int32Array, grads: Float32Array): void {
    const full = new Float32Array(table.data.length);
    for (let r = 0; r < rowIdxs.length; r += 1) full.set(grads.subarray(r * table.dim, (r + 1) * table.dim), rowIdxs[r]! * table.dim);
    this.#inner.applyDense(table, full);
  }

  applyDense(table: ParamTable, grads: Float32Array): void {
    this.#inner.applyDense(table, grads);
  }
}
