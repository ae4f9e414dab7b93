import { describe, expect, it } from 'vitest';
import { Adam } from '../../../src/train/optim/adam.js';
import { accumulateRows, ParamTable } from '../../../src/train/params.js';

describe('Adam', () => {
  it('row updates equal dense updates when every row is touched', () => {
    const init = new Float32Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6]);
    const sparse = new ParamTable('t', 3, 2, init.slice());
    const dense = new ParamTable('t', 3, 2, init.slice());
    const a = new Adam({ learningRate: 0.01 });
    const b = new Adam({ learningRate: 0.01 });
    for (let step = 1; step <= 3; step += 1) {
      const grads = new Float32Array([0.5, -1, 0.25, 2, -0.75, 0.1].map((g) => g * step));
      a.beginStep();
      a.applyRows(sparse, Int32Array.from([0, 1, 2]), grads);
      b.beginStep();
      b.applyDense(dense, grads);
    }
    for (let k = 0; k < init.length; k += 1) expect(sparse.data[k]).toBeCloseTo(dense.data[k]!, 6);
  });

  it('leaves untouched rows exactly as they were', () => {
    const table = new ParamTable('t', 4, 2, new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const adam = new Adam();
    adam.beginStep();
    adam.applyRows(table, Int32Array.from([2]), new Float32Array([1, -1]));
    expect(Array.from(table.data.subarray(0, 4))).toEqual([1, 2, 3, 4]);
    expect(Array.from(table.data.subarray(6))).toEqual([7, 8]);
    // First Adam step moves each coordinate by lr against the gradient's sign.
    expect(table.data[4]).toBeCloseTo(5 - 1e-3, 6);
    expect(table.data[5]).toBeCloseTo(6 + 1e-3, 6);
  });

  it('sums the gradients of a row that appears twice in a batch', () => {
    const { uniqueRows, summed } = accumulateRows(Int32Array.from([3, 1, 3]), new Float32Array([1, 2, 10, 20, 100, 200]), 2);
    expect(Array.from(uniqueRows)).toEqual([3, 1]);
    expect(Array.from(summed)).toEqual([101, 202, 10, 20]);
  });
});
