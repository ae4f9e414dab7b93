/**
 * Adagrad as TensorFlow's (JNSKR trains with it: lr 0.05, initial accumulator
 * 1e-8): accum += g^2, w -= lr g / sqrt(accum), per parameter.
 */
import type { ParamTable } from '../params.js';
import type { Optimizer } from './adam.js';

export class Adagrad implements Optimizer {
  readonly learningRate: number;
  readonly initialAccumulator: number;
  readonly #accum = new Map<ParamTable, Float32Array>();
  #step = 0;

  constructor(learningRate = 0.05, initialAccumulator = 1e-8) {
    this.learningRate = learningRate;
    this.initialAccumulator = initialAccumulator;
  }

  get step(): number {
    return this.#step;
  }

  beginStep(): void {
    this.#step += 1;
  }

  #accumulator(table: ParamTable): Float32Array {
    let accum = this.#accum.get(table);
    if (!accum) {
      accum = new Float32Array(table.data.length).fill(this.initialAccumulator);
      this.#accum.set(table, accum);
    }
    return accum;
  }

  // The update is written out in each loop: a private method called per element cost JNSKR (8M
  // parameters per step) about twice the time of the inlined arithmetic.
  applyRows(table: ParamTable, rowIdxs: Int32Array, grads: Float32Array): void {
    const accum = this.#accumulator(table);
    const data = table.data;
    const dim = table.dim;
    const lr = this.learningRate;
    for (let r = 0; r < rowIdxs.length; r += 1) {
      const base = rowIdxs[r]! * dim;
      for (let d = 0; d < dim; d += 1) {
        const g = grads[r * dim + d]!;
        const a = accum[base + d]! + g * g;
        accum[base + d] = a;
        data[base + d]! -= (lr * g) / Math.sqrt(a);
      }
    }
  }

  applyDense(table: ParamTable, grads: Float32Array): void {
    const accum = this.#accumulator(table);
    const data = table.data;
    const lr = this.learningRate;
    for (let k = 0; k < grads.length; k += 1) {
      const g = grads[k]!;
      const a = accum[k]! + g * g;
      accum[k] = a;
      data[k]! -= (lr * g) / Math.sqrt(a);
    }
  }
}
