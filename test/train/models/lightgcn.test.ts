import { describe, expect, it } from 'vitest';
import { csrFromPairs } from '../../../src/base/csr.js';
import { selectBackend } from '../../../src/train/backend.js';
import { makeLoss } from '../../../src/train/losses.js';
import { LightGcn, normalisedGraph } from '../../../src/train/models/lightgcn.js';
import type { Optimizer } from '../../../src/train/optim/adam.js';
import type { ParamTable } from '../../../src/train/params.js';

const train = csrFromPairs(3, 4, Int32Array.from([0, 0, 1, 1, 2]), Int32Array.from([0, 1, 1, 2, 3]));

class Recorder implements Optimizer {
  grads: Float32Array | undefined;
  step = 0;
  beginStep(): void {
    this.step += 1;
  }
  applyRows(): void {
    throw new Error('LightGCN updates densely');
  }
  applyDense(_table: ParamTable, grads: Float32Array): void {
    this.grads = grads.slice();
  }
}

describe('LightGCN', () => {
  it('normalises the adjacency by 1/sqrt(d_u d_i), symmetrically', () => {
    const g = normalisedGraph(train);
    // User 0 (degree 2) - item 1 (node 4, degree 2): 1/2.
    const row = Array.from(g.indices.subarray(g.indptr[0]!, g.indptr[1]!));
    expect(g.values[g.indptr[0]! + row.indexOf(4)]).toBeCloseTo(0.5, 6);
    const back = Array.from(g.indices.subarray(g.indptr[4]!, g.indptr[5]!));
    expect(g.values[g.indptr[4]! + back.indexOf(0)]).toBeCloseTo(0.5, 6);
  });

  it('its hand-written backward pass matches finite differences of the loss', async () => {
    await selectBackend('cpu');
    const l2 = 0.1;
    const model = new LightGcn({ users: 3, items: 4, dim: 2, l2, seed: 3 }, train, 2);
    const batch = { userIdxs: Int32Array.from([0, 2]), posItemIdxs: Int32Array.from([1, 3]), negItemIdxs: Int32Array.from([2, 0]), k: 1 };
    const lossOf = () => {
      model.dispose();
      const { users, items } = model.finalEmbeddings();
      let total = 0;
      for (let b = 0; b < 2; b += 1) {
        const u = batch.userIdxs[b]!;
        const dot = (i: number) => users[u * 2]! * items[i * 2]! + users[u * 2 + 1]! * items[i * 2 + 1]!;
        total += Math.log1p(Math.exp(-(dot(batch.posItemIdxs[b]!) - dot(batch.negItemIdxs[b]!))));
      }
      let reg = 0;
      const ego = model.ego.data;
      for (const node of [...batch.userIdxs, ...Array.from(batch.posItemIdxs, (i) => 3 + i), ...Array.from(batch.negItemIdxs, (i) => 3 + i)]) {
        reg += ego[node * 2]! ** 2 + ego[node * 2 + 1]! ** 2;
      }
      return total / 2 + (l2 / 2) * reg / 2;
    };
    const recorder = new Recorder();
    const before = model.ego.data.slice();
    model.trainStep(batch, makeLoss({ name: 'bpr' }), recorder);
    model.ego.data.set(before);
    const eps = 1e-3;
    for (let x = 0; x < before.length; x += 1) {
      model.ego.data[x] = before[x]! + eps;
      const up = lossOf();
      model.ego.data[x] = before[x]! - eps;
      const down = lossOf();
      model.ego.data[x] = before[x]!;
      expect(recorder.grads![x]).toBeCloseTo((up - down) / (2 * eps), 3);
    }
  });
});
