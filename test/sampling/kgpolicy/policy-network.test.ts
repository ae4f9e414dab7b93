import { describe, expect, it } from 'vitest';
import { csrFromPairs } from '../../../src/base/csr.js';
import { KgPolicyNetwork } from '../../../src/sampling/kgpolicy/policy-network.js';
import { Rng } from '../../../src/base/rng.js';
import { selectBackend, tf } from '../../../src/train/backend.js';

const NODES = 30;
const DIM = 4;

/** A symmetric graph (every edge both ways) with a node without edges (the last). */
function adjacency() {
  const rng = new Rng(11);
  const from: number[] = [];
  const to: number[] = [];
  for (let e = 0; e < 60; e += 1) {
    const a = rng.nextInt(NODES - 1);
    const b = rng.nextInt(NODES - 1);
    if (a === b) continue;
    from.push(a, b);
    to.push(b, a);
  }
  return csrFromPairs(NODES, NODES, Int32Array.from(from), Int32Array.from(to));
}

describe('KGPolicy graph module', () => {
  it('on tensorflow, the segment-sum aggregation gives the JS one: values and two learning steps', async () => {
    const loaded = await selectBackend('tensorflow').then(
      () => true,
      () => false,
    );
    if (!loaded) {
      expect(process.env['KGNEG_REQUIRE_TENSORFLOW'], 'CI requires the native backend').not.toBe('1');
      return;
    }
    const graph = adjacency();
    const run = (route: 'auto' | 'js') => {
      const network = new KgPolicyNetwork(graph, { dim: DIM, layers: 2, learningRate: 0.05, rng: new Rng(3), route });
      const before = network.representValues();
      const upstream = new Rng(9);
      const g = Float32Array.from({ length: NODES * DIM }, () => upstream.nextNormal());
      network.learn(() => g);
      // The first step made Adam's slots; a second one must leave no tensor behind.
      const tensors = tf.memory().numTensors;
      network.learn(() => g);
      expect(tf.memory().numTensors).toBe(tensors);
      const after = network.representValues();
      const route_ = network.aggregationRoute;
      network.dispose();
      return { before, after, route: route_ };
    };
    const native = run('auto');
    const js = run('js');
    expect(native.route).toBe('tensorflow segment sums');
    expect(js.route).toBe('js, 1 thread');
    for (let k = 0; k < js.before.length; k += 1) {
      expect(native.before[k]).toBeCloseTo(js.before[k]!, 5);
      expect(native.after[k]).toBeCloseTo(js.after[k]!, 5);
    }
    // The step moved the representations: the comparison is not of two untouched tables.
    expect(js.after.some((v, k) => Math.abs(v - js.before[k]!) > 1e-3)).toBe(true);
  });
});
