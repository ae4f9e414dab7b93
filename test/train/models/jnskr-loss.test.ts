import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfc from '@tensorflow/tfjs-core';
import { Rng } from '../../../src/base/rng.js';
import { selectBackend, tf } from '../../../src/train/backend.js';
import { gram, nonSamplingCfLoss, nonSamplingKgLoss, popularityWeights } from '../../../src/train/models/jnskr-loss.js';

const D = 5;
const rng = new Rng(21);
const matrix = (rows: number) => Array.from({ length: rows }, () => Array.from({ length: D }, () => rng.nextNormal() * 0.5));
const dot3 = (a: number[], b: number[], c: number[]) => a.reduce((s, x, i) => s + x * b[i]! * c[i]!, 0);

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('JNSKR whole-data losses', () => {
  it('CF: the d x d form equals the naive weighted squared loss over all (user, item) minus the constant sum of c+', () => {
    const users = matrix(7);
    const items = matrix(4);
    const h = matrix(1)[0]!;
    const negWeight = [0.3, 1.2, 0.7, 2.0];
    const posWeight = 1.5;
    const observed = new Set(['0,1', '2,1', '3,0', '6,3', '5,2', '1,1']);
    let naive = 0;
    const pairs: Array<[number, number]> = [];
    for (let u = 0; u < users.length; u += 1) {
      for (let v = 0; v < items.length; v += 1) {
        const y = observed.has(`${u},${v}`) ? 1 : 0;
        if (y) pairs.push([u, v]);
        const w = y ? posWeight : negWeight[v]!;
        naive += w * (y - dot3(h, users[u]!, items[v]!)) ** 2;
      }
    }
    const loss = tf.tidy(() =>
      nonSamplingCfLoss({
        users: tf.tensor2d(users),
        items: tf.tensor2d(items),
        h: tf.tensor1d(h),
        negWeight: tf.tensor1d(negWeight),
        posUsers: tf.tensor2d(pairs.map(([u]) => users[u]!)),
        posItems: tf.tensor2d(pairs.map(([, v]) => items[v]!)),
        posNegWeight: tf.tensor1d(pairs.map(([, v]) => negWeight[v]!)),
        posWeight,
      }).dataSync()[0]!,
    );
    expect(loss + posWeight * observed.size).toBeCloseTo(naive, 4);
  });

  it('KG: the d x d form equals the naive DistMult squared loss over every (head, relation, tail) minus the constant', () => {
    const heads = matrix(3);
    const relations = matrix(4);
    const tails = matrix(6);
    const headNegWeight = [0.5, 1.5, 3.0];
    const posWeight = 1;
    const triples: Array<[number, number, number]> = [[0, 1, 2], [0, 3, 5], [1, 0, 0], [2, 2, 4], [2, 1, 2]];
    const observed = new Set(triples.map((t) => t.join(',')));
    let naive = 0;
    for (let hh = 0; hh < heads.length; hh += 1) {
      for (let r = 0; r < relations.length; r += 1) {
        for (let t = 0; t < tails.length; t += 1) {
          const g = observed.has(`${hh},${r},${t}`) ? 1 : 0;
          const w = g ? posWeight : headNegWeight[hh]!;
          naive += w * (g - dot3(heads[hh]!, relations[r]!, tails[t]!)) ** 2;
        }
      }
    }
    const loss = tf.tidy(() =>
      nonSamplingKgLoss({
        heads: tf.tensor2d(heads),
        headNegWeight: tf.tensor1d(headNegWeight),
        tails: tf.tensor2d(tails),
        relations: tf.tensor2d(relations),
        posHeads: tf.tensor2d(triples.map(([hh]) => heads[hh]!)),
        posRelations: tf.tensor2d(triples.map(([, r]) => relations[r]!)),
        posTails: tf.tensor2d(triples.map(([, , t]) => tails[t]!)),
        posNegWeight: tf.tensor1d(triples.map(([hh]) => headNegWeight[hh]!)),
        posWeight,
      }).dataSync()[0]!,
    );
    expect(loss + posWeight * triples.length).toBeCloseTo(naive, 4);
  });

  it('popularity weights are c0 f^p / sum f^p', () => {
    const w = popularityWeights([4, 1, 0, 9], 10, 0.5);
    const total = 2 + 1 + 0 + 3;
    expect(Array.from(w).map((x) => Number(x.toFixed(5)))).toEqual([20 / total, 10 / total, 0, 30 / total].map((x) => Number(x.toFixed(5))));
  });

  // gram() writes its gradient by hand (X (G + G^T)) and takes another forward product on tensorflow:
  // both must equal autodiff of the plain X^T X on every backend that loads here.
  for (const backend of ['cpu', 'wasm', 'tensorflow'] as const) {
    it(`gram: value and gradient equal autodiff of X^T X on ${backend}`, async () => {
      const loaded = await selectBackend(backend).then(
        () => true,
        () => false,
      );
      if (!loaded) {
        expect(backend, 'cpu and wasm always load').toBe('tensorflow');
        expect(process.env['KGNEG_REQUIRE_TENSORFLOW'], 'CI requires the native backend').not.toBe('1');
        return;
      }
      try {
        const x = tf.tensor2d(matrix(9).flat(), [9, D]);
        const g = tf.tensor2d(matrix(D).flat(), [D, D]);
        const ours = tf.valueAndGrad((m: tfc.Tensor) => tf.sum(tf.mul(g, gram(m as tfc.Tensor2D))))(x);
        const plain = tf.valueAndGrad((m: tfc.Tensor) => tf.sum(tf.mul(g, tf.matMul(tf.transpose(m), m as tfc.Tensor2D))))(x);
        expect(ours.value.dataSync()[0]).toBeCloseTo(plain.value.dataSync()[0]!, 4);
        const a = ours.grad.dataSync();
        const b = plain.grad.dataSync();
        for (let k = 0; k < b.length; k += 1) expect(a[k]).toBeCloseTo(b[k]!, 4);
        tf.dispose([x, g, ours.value, ours.grad, plain.value, plain.grad]);
      } finally {
        await selectBackend('cpu');
      }
    });
  }
});
