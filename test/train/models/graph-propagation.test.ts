import { describe, expect, it } from 'vitest';
import { csrFromPairs } from '../../../src/base/csr.js';
import { Rng } from '../../../src/base/rng.js';
import { selectBackend, tf } from '../../../src/train/backend.js';
import { makeLoss } from '../../../src/train/losses.js';
import { layerMean } from '../../../src/train/models/graph-propagation.js';
import { LightGcn, normalisedGraph } from '../../../src/train/models/lightgcn.js';
import { Adam } from '../../../src/train/optim/adam.js';

const USERS = 40;
const ITEMS = 30;
const DIM = 8;

/** A random user-item graph whose last item and last user have no edges, and with a repeated pair. */
function randomTrain() {
  const rng = new Rng(5);
  const users: number[] = [0];
  const items: number[] = [0];
  for (let e = 0; e < 200; e += 1) {
    users.push(rng.nextInt(USERS - 1));
    items.push(rng.nextInt(ITEMS - 1));
  }
  return csrFromPairs(USERS, ITEMS, Int32Array.from(users), Int32Array.from(items));
}

function randomTable(rows: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * DIM }, () => rng.nextNormal());
}

async function loads(backend: 'tensorflow' | 'wasm'): Promise<boolean> {
  const ok = await selectBackend(backend).then(
    () => true,
    () => false,
  );
  if (!ok) {
    expect(backend, 'wasm always loads').toBe('tensorflow');
    expect(process.env['KGNEG_REQUIRE_TENSORFLOW'], 'CI requires the native backend').not.toBe('1');
  }
  return ok;
}

describe('graph propagation', () => {
  it('on tensorflow, the segment-sum route gives the JS product route within float noise', async () => {
    if (!(await loads('tensorflow'))) return;
    const graph = normalisedGraph(randomTrain());
    const native = layerMean(graph, DIM, 3);
    const js = layerMean(graph, DIM, 3, { route: 'js' });
    expect(native.route).toBe('tensorflow segment sums');
    expect(js.route).toMatch(/^js, 1 thread$/);
    const x = randomTable(graph.nodes, 9);
    const a = new Float32Array(x.length);
    const b = new Float32Array(x.length);
    const tensorsBefore = tf.memory().numTensors;
    native.meanOfPowers(x, a);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    js.meanOfPowers(x, b);
    for (let k = 0; k < x.length; k += 1) expect(Math.abs(a[k]! - b[k]!)).toBeLessThan(1e-5 * (1 + Math.abs(b[k]!)));
    // The node without edges keeps x / (L + 1).
    const lonely = (graph.nodes - 1) * DIM;
    expect(a[lonely]).toBeCloseTo(x[lonely]! / 4, 6);
    native.dispose();
    js.dispose();
  });

  it('on tensorflow, LightGCN trains to the same parameters on either route', async () => {
    if (!(await loads('tensorflow'))) return;
    const train = randomTrain();
    const run = (route: 'auto' | 'js') => {
      const model = new LightGcn({ users: USERS, items: ITEMS, dim: DIM, l2: 1e-4, seed: 3 }, train, 3, { route });
      const optimizer = new Adam({ learningRate: 0.01 });
      const loss = makeLoss({ name: 'bpr' });
      const rng = new Rng(8);
      const draw = (n: number) => Int32Array.from({ length: 16 }, () => rng.nextInt(n));
      for (let step = 0; step < 6; step += 1) model.trainStep({ userIdxs: draw(USERS), posItemIdxs: draw(ITEMS), negItemIdxs: draw(ITEMS), k: 1 }, loss, optimizer);
      const routeUsed = model.propagationRoute;
      const ego = model.ego.data.slice();
      model.dispose();
      return { routeUsed, ego };
    };
    const native = run('auto');
    const js = run('js');
    expect(native.routeUsed).toBe('tensorflow segment sums');
    for (let k = 0; k < js.ego.length; k += 1) expect(native.ego[k]).toBeCloseTo(js.ego[k]!, 5);
  });

  it('on wasm, it takes the JS product', async () => {
    if (!(await loads('wasm'))) return;
    const propagation = layerMean(normalisedGraph(randomTrain()), DIM, 3);
    expect(propagation.route).toMatch(/^js/);
    propagation.dispose();
  });
});
