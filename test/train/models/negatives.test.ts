import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/train/backend.js';
import { makeLoss } from '../../../src/train/losses.js';
import { LightGcn } from '../../../src/train/models/lightgcn.js';
import { MatrixFactorization } from '../../../src/train/models/mf.js';
import type { Model, TrainBatch } from '../../../src/train/models/types.js';
import type { Optimizer } from '../../../src/train/optim/adam.js';
import type { ParamTable } from '../../../src/train/params.js';
import { csrFromPairs } from '../../../src/base/csr.js';

/** An optimizer that only records the gradients it is given. */
class Recorder implements Optimizer {
  readonly step = 0;
  readonly grads = new Map<string, Map<number, Float32Array>>();
  beginStep(): void {}
  applyRows(table: ParamTable, rowIdxs: Int32Array, grads: Float32Array): void {
    const rows = this.grads.get(table.name) ?? new Map<number, Float32Array>();
    rowIdxs.forEach((row, r) => rows.set(row, grads.slice(r * table.dim, (r + 1) * table.dim)));
    this.grads.set(table.name, rows);
  }
  applyDense(table: ParamTable, grads: Float32Array): void {
    this.applyRows(table, Int32Array.from({ length: table.rows }, (_, r) => r), grads);
  }
}

const loss = makeLoss({ name: 'bpr' });
// User 0, positive 1, negative = 0.25 * item 2 + 0.75 * item 3.
const batch: TrainBatch = {
  userIdxs: Int32Array.from([0]),
  posItemIdxs: Int32Array.from([1]),
  negItemIdxs: Int32Array.from([3]),
  k: 1,
  negMixture: { components: 2, itemIdxs: Int32Array.from([2, 3]), weights: Float32Array.from([0.25, 0.75]) },
};

function lossAt(model: Model): number {
  // The loss the step reports is computed before its (recorded, not applied) update.
  const step = model.trainStep(batch, loss, new Recorder());
  if (step instanceof Promise) throw new Error('these checks read results synchronously (KGNEG_ASYNC_READS is set)');
  return step.loss;
}

function checkItemGradient(model: Model, table: ParamTable, row: number, tableRowOffset: number) {
  const recorder = new Recorder();
  model.trainStep(batch, loss, recorder);
  const analytic = recorder.grads.get(table.name)!.get(tableRowOffset + row)!;
  const h = 1e-3;
  for (let d = 0; d < table.dim; d += 1) {
    const at = (tableRowOffset + row) * table.dim + d;
    const keep = table.data[at]!;
    table.data[at] = keep + h;
    const up = lossAt(model);
    table.data[at] = keep - h;
    const down = lossAt(model);
    table.data[at] = keep;
    expect(analytic[d]!).toBeCloseTo((up - down) / (2 * h), 3);
  }
  return analytic;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('negatives merged in embedding space', () => {
  it('MF: each merged item gets its weight times the gradient of the merged vector (finite differences)', () => {
    const model = new MatrixFactorization({ users: 1, items: 4, dim: 4, l2: 0, seed: 3 });
    const g2 = checkItemGradient(model, model.items, 2, 0);
    const g3 = checkItemGradient(model, model.items, 3, 0);
    // Both come from the same merged vector: the gradients are proportional, 1 : 3.
    for (let d = 0; d < 4; d += 1) expect(g3[d]!).toBeCloseTo(3 * g2[d]!, 5);
  });

  it('LightGCN: the same through propagation (finite differences on the ego rows)', () => {
    const train = csrFromPairs(1, 4, Int32Array.from([0, 0]), Int32Array.from([0, 1]));
    const model = new LightGcn({ users: 1, items: 4, dim: 4, l2: 0, seed: 5 }, train);
    checkItemGradient(model, model.ego, 2, 1);
    checkItemGradient(model, model.ego, 3, 1);
  });
});
