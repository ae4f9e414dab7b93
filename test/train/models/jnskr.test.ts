import { beforeAll, describe, expect, it } from 'vitest';
import { csrFromPairs } from '../../../src/base/csr.js';
import { Rng } from '../../../src/base/rng.js';
import { selectBackend, tf } from '../../../src/train/backend.js';
import { Jnskr, type ItemKgCsr } from '../../../src/train/models/jnskr.js';
import { Adagrad } from '../../../src/train/optim/adagrad.js';
import type { Optimizer } from '../../../src/train/optim/adam.js';
import type { ParamTable } from '../../../src/train/params.js';

/** An optimizer that records the dense gradients it is given and changes nothing. */
class Recorder implements Optimizer {
  readonly step = 0;
  readonly grads = new Map<string, Float32Array>();
  beginStep(): void {}
  applyRows(): void {
    throw new Error('jnskr updates densely');
  }
  applyDense(table: ParamTable, grads: Float32Array): void {
    this.grads.set(table.name, grads.slice());
  }
}

const USERS = 6;
const ITEMS = 5;
const train = csrFromPairs(USERS, ITEMS, Int32Array.from([0, 0, 1, 2, 3, 4, 5, 5]), Int32Array.from([0, 1, 1, 2, 3, 0, 4, 2]));
// Items 0-3 have KG pairs (item 1 has three, item 4 none); 4 entities, 2 relations + inverses.
const kg: ItemKgCsr = {
  numEntities: 4,
  numRelations: 4,
  indptr: Int32Array.from([0, 1, 4, 5, 6, 6]),
  relationIdxs: Int32Array.from([0, 1, 2, 0, 3, 1]),
  entityIdxs: Int32Array.from([2, 0, 3, 1, 1, 2]),
};

function model(attention: 'code' | 'summary') {
  const m = new Jnskr({ users: USERS, items: ITEMS, dim: 4, l2: 1e-3, seed: 9 }, train, kg, { attention, keepCf: 1, keepKg: 1, c0: 2, c1: 3 });
  // Larger than the 0.01 initialisation, so that every term of the gradient is visible.
  const rng = new Rng(4);
  for (const table of m.tables()) for (let k = 0; k < table.data.length; k += 1) table.data[k] = rng.nextNormal() * 0.5;
  return m;
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('JNSKR', () => {
  for (const attention of ['code', 'summary'] as const) {
    it(`${attention} attention: the step's gradients match finite differences of its loss, tables and attention alike`, () => {
      const m = model(attention);
      const batch = Int32Array.from([0, 1, 4]);
      const recorder = new Recorder();
      m.trainBatch(batch, recorder);
      const tensorsBefore = tf.memory().numTensors;
      const lossAt = () => m.trainBatch(batch, new Recorder());
      const h = 1e-2;
      let checked = 0;
      for (const table of m.tables()) {
        if (attention === 'code' && table.name === 'attW2') continue;
        const grad = recorder.grads.get(table.name)!;
        for (const k of [0, Math.floor(table.data.length / 2), table.data.length - 1]) {
          const keep = table.data[k]!;
          table.data[k] = keep + h;
          const up = lossAt();
          table.data[k] = keep - h;
          const down = lossAt();
          table.data[k] = keep;
          const numeric = (up - down) / (2 * h);
          expect(Math.abs(grad[k]! - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThan(20);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }

  it('written-back vectors score as h . (p_u * q_v), and Adagrad steps lower the loss', () => {
    const m = model('code');
    const { users, items, dim } = m.finalEmbeddings();
    const scores = m.scoreCandidates(Int32Array.from([2]), Int32Array.from([0, 1, 2, 3, 4]), 5);
    for (let v = 0; v < ITEMS; v += 1) {
      let direct = 0;
      for (let d = 0; d < dim; d += 1) direct += m.h.data[d]! * m.users.data[2 * dim + d]! * items[v * dim + d]!;
      let plain = 0;
      for (let d = 0; d < dim; d += 1) plain += users[2 * dim + d]! * items[v * dim + d]!;
      expect(scores[v]).toBeCloseTo(direct, 5);
      expect(plain).toBeCloseTo(direct, 5);
    }
    // Item 4 has no KG pairs: its vector is its own embedding.
    expect(Array.from(items.subarray(4 * dim, 5 * dim))).toEqual(Array.from(m.items.data.subarray(4 * dim, 5 * dim)));
    const optimizer = new Adagrad(0.05);
    const all = Int32Array.from([0, 1, 2, 3, 4]);
    const first = m.trainBatch(all, optimizer);
    let last = first;
    for (let s = 0; s < 30; s += 1) last = m.trainBatch(all, optimizer);
    expect(last).toBeLessThan(first);
  });
});
