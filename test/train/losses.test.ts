import { describe, expect, it } from 'vitest';
import { selectBackend, tf } from '../../src/train/backend.js';
import { makeLoss } from '../../src/train/losses.js';

describe('losses', () => {
  it('BPR is -ln sigma(pos - neg), averaged', async () => {
    await selectBackend('cpu');
    const value = makeLoss({ name: 'bpr' })(tf.tensor1d([2, 0]), tf.tensor2d([[1], [1]])).dataSync()[0]!;
    const want = (-Math.log(1 / (1 + Math.exp(-1))) - Math.log(1 / (1 + Math.exp(1)))) / 2;
    expect(value).toBeCloseTo(want, 5);
  });

  it('soft BPR scales the margin by the soft factor (SDNS eq. 10), and its gradient by factor * (1 - sigma)', async () => {
    await selectBackend('cpu');
    const loss = makeLoss({ name: 'soft-bpr', softFactor: 0.2 });
    const [gPos] = tf.grads((pos: tf.Tensor) => loss(pos as tf.Tensor1D, tf.tensor2d([[1]])))([tf.tensor1d([3])]);
    const d = 0.2 * (3 - 1);
    expect(gPos!.dataSync()[0]).toBeCloseTo(-0.2 * (1 - 1 / (1 + Math.exp(-d))), 6);
  });

  it('the augmented hinge loss follows RecNS eq. 5', async () => {
    await selectBackend('cpu');
    const sigma = (x: number) => 1 / (1 + Math.exp(-x));
    const value = makeLoss({ name: 'hinge', margin: 0.1 })(tf.tensor1d([0.5]), tf.tensor2d([[0.2, -0.1, 0.4]])).dataSync()[0]!;
    expect(value).toBeCloseTo(Math.max(0, sigma(0.5) - sigma(3 * 0.5) + 0.1) / 3, 6);
  });
});
