import { describe, expect, it } from 'vitest';
import { selectBackend, tf, type BackendRequest } from '../../../src/train/backend.js';
import { makeLoss, type LossConfig } from '../../../src/train/losses.js';
import { GeneralizedMf } from '../../../src/train/models/gmf.js';
import { MatrixFactorization } from '../../../src/train/models/mf.js';
import type { Model } from '../../../src/train/models/types.js';
import { Adam } from '../../../src/train/optim/adam.js';
import { Rng } from '../../../src/base/rng.js';

/**
 * Whole runs diverge chaotically across backends, so compare a fixed number of
 * steps from the same initialisation and the same batches.
 */
async function trainSteps(backend: BackendRequest, make: () => Model, loss: LossConfig, k: number): Promise<Float32Array[]> {
  await selectBackend(backend);
  const model = make();
  const optimizer = new Adam({ learningRate: 0.01 });
  const lossFn = makeLoss(loss);
  const rng = new Rng(42);
  const before = tf.memory().numTensors;
  for (let step = 0; step < 8; step += 1) {
    const size = 64;
    const draw = (n: number, count: number) => Int32Array.from({ length: count }, () => rng.nextInt(n));
    await model.trainStep({ userIdxs: draw(50, size), posItemIdxs: draw(80, size), negItemIdxs: draw(80, size * k), k }, lossFn, optimizer);
  }
  // Every tensor a step makes is disposed.
  expect(tf.memory().numTensors).toBe(before);
  return model.tables().map((t) => t.data.slice());
}

const cases: Array<{ name: string; make: () => Model; loss: LossConfig; k: number }> = [
  { name: 'MF + BPR', make: () => new MatrixFactorization({ users: 50, items: 80, dim: 16, l2: 1e-4, seed: 7 }), loss: { name: 'bpr' }, k: 1 },
  { name: 'MF + soft BPR', make: () => new MatrixFactorization({ users: 50, items: 80, dim: 16, l2: 1e-4, seed: 7 }), loss: { name: 'soft-bpr', softFactor: 0.2 }, k: 1 },
  { name: 'GMF + hinge, k = 4', make: () => new GeneralizedMf({ users: 50, items: 80, dim: 8, l2: 1e-4, seed: 7 }), loss: { name: 'hinge', margin: 0.1 }, k: 4 },
];

/**
 * The native backend exists only after `npm run setup:tensorflow`. CI runs the
 * setup and sets KGNEG_REQUIRE_TENSORFLOW=1, so there a missing native backend
 * fails instead of skipping.
 */
const tensorflow = await nativeBackendLoads();
if (!tensorflow.ok && process.env['KGNEG_REQUIRE_TENSORFLOW'] === '1') {
  throw new Error(`KGNEG_REQUIRE_TENSORFLOW=1 but the tensorflow backend does not load: ${tensorflow.reason}`);
}

async function nativeBackendLoads(): Promise<{ ok: boolean; reason: string }> {
  try {
    await selectBackend('tensorflow');
    return { ok: true, reason: '' };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

describe('backend equivalence', () => {
  for (const c of cases) {
    for (const backend of ['wasm', 'tensorflow'] as const) {
      it.skipIf(backend === 'tensorflow' && !tensorflow.ok)(`${c.name}: 8 steps give the same parameters on ${backend} and cpu`, async () => {
        const other = await trainSteps(backend, c.make, c.loss, c.k);
        const cpu = await trainSteps('cpu', c.make, c.loss, c.k);
        const initial = c.make().tables();
        let moved = 0;
        other.forEach((table, t) => {
          for (let i = 0; i < table.length; i += 1) {
            expect(Math.abs(table[i]! - cpu[t]![i]!)).toBeLessThan(1e-5);
            if (table[i] !== initial[t]!.data[i]) moved += 1;
          }
        });
        expect(moved).toBeGreaterThan(100);
      });
    }
  }

  for (const c of cases) {
    it(`${c.name}: 8 steps with asynchronous reads (the webgpu path) give the cpu backend's synchronous parameters exactly`, async () => {
      const sync = await trainSteps('cpu', c.make, c.loss, c.k);
      process.env['KGNEG_ASYNC_READS'] = '1';
      try {
        const asyncTables = await trainSteps('cpu', c.make, c.loss, c.k);
        asyncTables.forEach((table, t) => expect(Array.from(table)).toEqual(Array.from(sync[t]!)));
      } finally {
        delete process.env['KGNEG_ASYNC_READS'];
      }
    });
  }
});
