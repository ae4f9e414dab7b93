/**
 * The MMD feature-matching reward of RNS (eqs. 4-6): for a generated set G and
 * an exposed set E of L feature vectors each, generated row g earns
 *   M(g) = (2 / L) [ sum_e k(f_g, f_e) - sum_g' k(f_g, f_g') ]
 * with k a sum of five Gaussian kernels exp(-||x - y||^2 / (2 sigma^2)).
 *
 * Deviations, each an option:
 * - Scale 2 / L, not eq. 6's 2 / L^2: the official code (Discriminator.
 *   _compute_MMD) takes means over the set, and the published alpha / beta were
 *   tuned with that scale (with L = 1024, 2 / L^2 makes the term ~1000x smaller
 *   than the adversarial reward).
 * - Bandwidths: the code fixes them per dataset (19..23 for Zhihu). On
 *   mind-small-5k a pre-trained GMF's features are ~0.5 apart in squared
 *   distance, so those kernels are all ~5 and the reward is ~1e-5: inert. The
 *   default is therefore scale-free: 2 sigma^2 in {s/4, s/2, s, 2s, 4s} with s
 *   the mean squared distance between G and E in the block; these five kernels
 *   are e^16, e^8, e^4, e^2, e for e = exp(-d^2 / 4s), one exp per pair (an
 *   exp costs ~14 ns here, and a 1024-row batch has 2M pairs). `sigmas` gives
 *   the code's fixed bandwidths instead.
 * - Blocks: the sums run within blocks of `block` rows (the batch order is
 *   random, so each block is a random subset), cutting the pairs per batch by
 *   L / block; block 0 uses the whole batch as the code.
 * The sum over g' includes g itself, as eq. 6 and the code.
 */
import * as tf from '@tensorflow/tfjs';

export interface MmdConfig {
  /** Fixed bandwidths (the code's); absent: scale-free bandwidths from the block's mean distance. */
  readonly sigmas?: readonly number[];
  /** Rows per block; 0: one block. */
  readonly block: number;
}

export interface MmdResult {
  /** [L] */
  readonly rewards: Float32Array;
  /** Mean squared distance between generated and exposed features (the kernel's scale). */
  readonly meanSquaredDistance: number;
}

/** The official code's bandwidths for Zhihu (sh/rns.sh): 19, 20, 21, 22, 23 around 21. */
export function bandwidthsAround(centre: number): number[] {
  return [centre - 2, centre - 1, centre, centre + 1, centre + 2];
}

/** generated, exposed: [L * dim] row-major, row r of each from the same user. */
export function mmdRewards(generated: Float32Array, exposed: Float32Array, dim: number, config: MmdConfig): MmdResult {
  const rows = generated.length / dim;
  if (exposed.length !== generated.length) throw new Error(`MMD needs sets of equal size: ${rows} generated, ${exposed.length / dim} exposed`);
  const rewards = new Float32Array(rows);
  const block = config.block > 0 ? config.block : rows;
  let distanceSum = 0;
  for (let from = 0; from < rows; from += block) {
    const size = Math.min(block, rows - from);
    const g = generated.subarray(from * dim, (from + size) * dim);
    const e = exposed.subarray(from * dim, (from + size) * dim);
    const toExposed = squaredDistances(g, e, size, dim);
    const toGenerated = squaredDistances(g, g, size, dim);
    let mean = 0;
    for (let k = 0; k < toExposed.length; k += 1) mean += toExposed[k]!;
    mean /= toExposed.length;
    distanceSum += mean * size;
    const kernel = config.sigmas ? fixedKernel(config.sigmas) : scaleFreeKernel(mean);
    for (let r = 0; r < size; r += 1) {
      let sum = 0;
      for (let c = 0; c < size; c += 1) sum += kernel(toExposed[r * size + c]!) - kernel(toGenerated[r * size + c]!);
      rewards[from + r] = (2 / size) * sum;
    }
  }
  return { rewards, meanSquaredDistance: rows === 0 ? 0 : distanceSum / rows };
}

function fixedKernel(sigmas: readonly number[]): (d2: number) => number {
  const scales = sigmas.map((s) => -1 / (2 * s * s));
  return (d2) => {
    let k = 0;
    for (const c of scales) k += Math.exp(d2 * c);
    return k;
  };
}

function scaleFreeKernel(meanSquaredDistance: number): (d2: number) => number {
  const scale = meanSquaredDistance > 0 ? -1 / (4 * meanSquaredDistance) : 0;
  return (d2) => {
    const e1 = Math.exp(d2 * scale);
    const e2 = e1 * e1;
    const e4 = e2 * e2;
    const e8 = e4 * e4;
    return e1 + e2 + e4 + e8 + e8 * e8;
  };
}

/** [n * n]: ||x_r - y_c||^2 by tfjs (a matMul is ~20x faster on wasm than a JS loop). */
function squaredDistances(x: Float32Array, y: Float32Array, n: number, dim: number): Float32Array {
  const out = tf.tidy(() => {
    const X = tf.tensor2d(x, [n, dim]);
    const Y = tf.tensor2d(y, [n, dim]);
    const xx = tf.sum(tf.square(X), 1, true);
    const yy = tf.reshape(tf.sum(tf.square(Y), 1), [1, -1]);
    // Explicit transpose: tfjs-wasm's matMul with transposeB is far slower. relu: rounding can make d^2 slightly negative.
    return tf.relu(tf.sub(tf.add(xx, yy), tf.mul(2, tf.matMul(X, tf.transpose(Y)))));
  });
  const values = (out.dataSync() as Float32Array).slice();
  out.dispose();
  return values;
}
