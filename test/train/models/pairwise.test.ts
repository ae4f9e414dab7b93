import type * as tfc from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../../src/train/backend.js';
import { makeLoss, type LossName } from '../../../src/train/losses.js';
import { GeneralizedMf } from '../../../src/train/models/gmf.js';
import { MatrixFactorization } from '../../../src/train/models/mf.js';
import type { TrainBatch } from '../../../src/train/models/types.js';
import type { Optimizer } from '../../../src/train/optim/adam.js';
import type { ParamTable } from '../../../src/train/params.js';
import { Rng } from '../../../src/base/rng.js';

/** Records the summed gradient of every row it is handed, per table. */
class Recorder implements Optimizer {
  readonly step = 0;
  readonly grads = new Map<string, Float32Array>();
  beginStep(): void {}
  applyRows(table: ParamTable, rowIdxs: Int32Array, grads: Float32Array): void {
    const full = this.grads.get(table.name) ?? new Float32Array(table.rows * table.dim);
    rowIdxs.forEach((row, r) => full.set(grads.subarray(r * table.dim, (r + 1) * table.dim), row * table.dim));
    this.grads.set(table.name, full);
  }
  applyDense(table: ParamTable, grads: Float32Array): void {
    this.grads.set(table.name, grads.slice());
  }
}

const USERS = 30;
const ITEMS = 40;
const DIM = 8;
const L2 = 0.01;
const rng = new Rng(2);
const K = 3;
const B = 64; // users and items repeat within the batch
const batch: TrainBatch = {
  userIdxs: Int32Array.from({ length: B }, () => rng.nextInt(USERS)),
  posItemIdxs: Int32Array.from({ length: B }, () => rng.nextInt(ITEMS)),
  negItemIdxs: Int32Array.from({ length: B * K }, () => rng.nextInt(ITEMS)),
  k: K,
};

/** The objective written plainly on whole tables, for autodiff: what the step's hand-written gradients must equal. */
function reference(users: ParamTable, items: ParamTable, h: ParamTable | undefined, lossName: LossName) {
  const loss = makeLoss({ name: lossName });
  return tf.tidy(() => {
    const f = (...xs: tfc.Tensor[]) => {
      const [P, Q, H] = xs as [tfc.Tensor2D, tfc.Tensor2D, tfc.Tensor2D | undefined];
      const u = tf.gather(P, tf.tensor1d(batch.userIdxs, 'int32'));
      const p = tf.gather(Q, tf.tensor1d(batch.posItemIdxs, 'int32'));
      const n = tf.reshape(tf.gather(Q, tf.tensor1d(batch.negItemIdxs, 'int32')), [B, K, DIM]);
      const uh = H ? tf.mul(u, H) : u;
      const pos = tf.sum(tf.mul(uh, p), 1) as tfc.Tensor1D;
      const neg = tf.sum(tf.mul(tf.expandDims(uh, 1), n), 2) as tfc.Tensor2D;
      const reg = tf.div(tf.mul(L2 / 2, tf.addN([tf.sum(tf.square(u)), tf.sum(tf.square(p)), tf.sum(tf.square(n))])), B);
      return tf.add(loss(pos, neg), reg) as tfc.Scalar;
    };
    const inputs = [tf.tensor2d(users.data, [USERS, DIM]), tf.tensor2d(items.data, [ITEMS, DIM])];
    if (h) inputs.push(tf.tensor2d(h.data, [1, DIM]));
    const { value, grads } = tf.valueAndGrads(f)(inputs);
    return { value: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('the pairwise step (MF, GMF)', () => {
  for (const lossName of ['bpr', 'soft-bpr', 'hinge'] as const) {
    it(`gives autodiff's loss and gradients on whole tables, ${lossName}`, async () => {
      for (const model of [
        new MatrixFactorization({ users: USERS, items: ITEMS, dim: DIM, l2: L2, seed: 4 }),
        new GeneralizedMf({ users: USERS, items: ITEMS, dim: DIM, l2: L2, seed: 4 }),
      ]) {
        const [users, items, h] = model.tables() as [ParamTable, ParamTable, ParamTable | undefined];
        // h starts at ones; other values make its part of the user gradient visible.
        if (h) h.data.forEach((_, d) => (h.data[d] = 0.5 + rng.nextFloat()));
        const want = reference(users, items, h, lossName);
        const recorder = new Recorder();
        const step = await model.trainStep(batch, makeLoss({ name: lossName }), recorder);
        expect(step.loss).toBeCloseTo(want.value, 5);
        const got = [recorder.grads.get(users.name)!, recorder.grads.get(items.name)!];
        if (h) got.push(recorder.grads.get(h.name)!);
        expect(got.length).toBe(want.grads.length);
        got.forEach((g, t) => {
          const scale = Math.max(...want.grads[t]!.map(Math.abs));
          expect(scale).toBeGreaterThan(0);
          want.grads[t]!.forEach((w, e) => expect(Math.abs(g[e]! - w), `${model.name} table ${t} entry ${e}`).toBeLessThan(1e-5 * Math.max(1, scale)));
        });
      }
    });
  }
});
