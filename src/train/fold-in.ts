/**
 * Fold-in: a vector for a user the served run has none for (a user who
 * arrived after it, or whose interactions are newer), fitted against the run's
 * fixed item vectors. Every model kgneg writes back scores by an inner product
 * of the written vectors (MF p_u . q_i; GMF and JNSKR write p_u * h; LightGCN
 * its final propagated embeddings), so this is one small problem per user,
 * whatever the model: d parameters.
 *
 * It minimises the runs' own BPR objective, -ln sigma(p . q_i - p . q_j) over
 * the user's items i and uniform unobserved j, plus l2 |p|^2, with Adam
 * from zero, seeded. BPR rather than regularised least squares: the item
 * vectors were trained to order items by BPR, and fitting the user by the
 * same objective keeps the user on the scale and the geometry the items were
 * learnt in.
 */
import { Rng } from '../base/rng.js';

export interface FoldInOptions {
  readonly l2: number;
  readonly learningRate: number;
  /** Passes over the user's items. */
  readonly epochs: number;
  /** Negatives per positive per pass. */
  readonly negatives: number;
  /** Each negative is the best-scored of this many uniform candidates (1: uniform; 16: DNS's pool). */
  readonly pool: number;
  readonly seed: number;
}

/**
 * 30 passes with uniform negatives: chosen on the held-out users' validation recall@20 in
 * `npm run bench -- fold-in` (lastfm-kgcn, MF + DNS, 3 seeds: 0.308 against 0.268 for 100 passes and
 * 0.225 for 100 passes with DNS's pool of 16); more passes fit the few items too closely.
 */
export const DEFAULT_FOLD_IN: FoldInOptions = Object.freeze({ l2: 1e-4, learningRate: 0.05, epochs: 30, negatives: 4, pool: 1, seed: 1 });

/**
 * items: [numItems * dim] row-major; positives: the user's item indices.
 * Returns the user's vector [dim].
 */
export function foldInUser(items: Float32Array, dim: number, positives: readonly number[], options: FoldInOptions = DEFAULT_FOLD_IN): Float32Array {
  const numItems = items.length / dim;
  const p = new Float64Array(dim);
  const m = new Float64Array(dim);
  const v = new Float64Array(dim);
  const g = new Float64Array(dim);
  const own = new Set(positives);
  if (own.size === 0 || own.size >= numItems) return new Float32Array(dim);
  const rng = new Rng(options.seed);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let t = 0;
  const order = [...own];
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let k = order.length - 1; k > 0; k -= 1) {
      const r = rng.nextInt(k + 1);
      [order[k], order[r]] = [order[r]!, order[k]!];
    }
    for (const i of order) {
      g.fill(0);
      for (let s = 0; s < options.negatives; s += 1) {
        let j = -1;
        let best = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < options.pool; c += 1) {
          let candidate = rng.nextInt(numItems);
          while (own.has(candidate)) candidate = rng.nextInt(numItems);
          if (options.pool === 1) {
            j = candidate;
            break;
          }
          let score = 0;
          for (let d = 0; d < dim; d += 1) score += p[d]! * items[candidate * dim + d]!;
          if (score > best) {
            best = score;
            j = candidate;
          }
        }
        let x = 0;
        for (let d = 0; d < dim; d += 1) x += p[d]! * (items[i * dim + d]! - items[j * dim + d]!);
        // d/dp -ln sigma(x) = -(1 - sigma(x)) (q_i - q_j)
        const w = -1 / (1 + Math.exp(x));
        for (let d = 0; d < dim; d += 1) g[d]! += (w * (items[i * dim + d]! - items[j * dim + d]!)) / options.negatives;
      }
      t += 1;
      for (let d = 0; d < dim; d += 1) {
        const grad = g[d]! + 2 * options.l2 * p[d]!;
        m[d] = beta1 * m[d]! + (1 - beta1) * grad;
        v[d] = beta2 * v[d]! + (1 - beta2) * grad * grad;
        const mHat = m[d]! / (1 - beta1 ** t);
        const vHat = v[d]! / (1 - beta2 ** t);
        p[d] = p[d]! - (options.learningRate * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    }
  }
  return Float32Array.from(p);
}

/** The user's top K by p . q_i, items in `exclude` left out; ties keep the lower index. */
export function topKFor(user: Float32Array, items: Float32Array, dim: number, k: number, exclude: ReadonlySet<number>): Array<{ itemIdx: number; score: number }> {
  const numItems = items.length / dim;
  const scored: Array<{ itemIdx: number; score: number }> = [];
  for (let i = 0; i < numItems; i += 1) {
    if (exclude.has(i)) continue;
    let s = 0;
    for (let d = 0; d < dim; d += 1) s += user[d]! * items[i * dim + d]!;
    scored.push({ itemIdx: i, score: s });
  }
  scored.sort((a, b) => b.score - a.score || a.itemIdx - b.itemIdx);
  return scored.slice(0, k);
}
