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

  applyRows(table: ParamTable, rowIdxs: Int32Array, grads: Float32Array): void {
    const accum = this.#accumulator(table);
    const dim = table.dim;
    for (let r = 0; r < rowIdxs.length; r += 1) {
      const base = rowIdxs[r]! * dim;
      for (let d = 0; d < dim; d += 1) this.#update(table.data, accum, base + d, grads[r * dim + d]!);
    }
  }

  applyDense(table: ParamTable, grads: Float32Array): void {
    const accum = this.#accumulator(table);
    for (let k = 0; k < grads.length; k += 1) this.#update(table.data, accum, k, grads[k]!);
  }

  #update(data: Float32Array, accum: Float32Array, k: number, g: number): void {
    const a = accum[k]! + g * g;
    accum[k] = a;
    data[k]! -= (this.learningRate * g) / Math.sqrt(a);
  }
}
