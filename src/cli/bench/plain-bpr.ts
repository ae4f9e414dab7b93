/**
 * The arithmetic floor for `bench train`: one MF-BPR epoch written directly on
 * Float32Arrays (no tfjs, no abstractions), uniform negatives, L2 on the batch
 * rows and Adam on the touched rows, the same math as kgneg's MF step. kgneg's
 * epoch time is reported as a ratio to this, measured in the same process.
 */
import { csrHas, type Csr } from '../../base/csr.js';
import { Rng } from '../../base/rng.js';

export interface PlainBprState {
  readonly users: Float32Array;
  readonly items: Float32Array;
  readonly dim: number;
}

export function plainBprEpoch(train: Csr, state: PlainBprState, seed: number, batchSize = 2048, lr = 1e-3, l2 = 1e-5): number {
  const { users, items, dim } = state;
  const rng = new Rng(seed);
  const n = train.indices.length;
  const pairUsers = new Int32Array(n);
  for (let u = 0; u < train.rows; u += 1) pairUsers.fill(u, train.indptr[u]!, train.indptr[u + 1]!);
  const order = rng.shuffle(Int32Array.from({ length: n }, (_, k) => k));
  const mU = new Float32Array(users.length);
  const vU = new Float32Array(users.length);
  const mI = new Float32Array(items.length);
  const vI = new Float32Array(items.length);
  const gU = new Float32Array(users.length);
  const gI = new Float32Array(items.length);
  const touchedU = new Int32Array(batchSize);
  const touchedI = new Int32Array(batchSize * 2);
  const markU = new Int32Array(train.rows).fill(-1);
  const markI = new Int32Array(train.cols).fill(-1);
  let step = 0;
  let lossSum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    step += 1;
    let nu = 0;
    let ni = 0;
    for (let b = 0; b < size; b += 1) {
      const pair = order[start + b]!;
      const u = pairUsers[pair]!;
      const i = train.indices[pair]!;
      let j = rng.nextInt(train.cols);
      while (csrHas(train, u, j)) j = rng.nextInt(train.cols);
      const ub = u * dim;
      const ib = i * dim;
      const jb = j * dim;
      let x = 0;
      for (let d = 0; d < dim; d += 1) x += users[ub + d]! * (items[ib + d]! - items[jb + d]!);
      lossSum += Math.log1p(Math.exp(-x));
      const g = -1 / (1 + Math.exp(x)) / size;
      const r = l2 / size;
      if (markU[u] !== step) {
        markU[u] = step;
        touchedU[nu++] = u;
        gU.fill(0, ub, ub + dim);
      }
      for (const it of [i, j]) {
        if (markI[it] !== step) {
          markI[it] = step;
          touchedI[ni++] = it;
          gI.fill(0, it * dim, it * dim + dim);
        }
      }
      for (let d = 0; d < dim; d += 1) {
        const pu = users[ub + d]!;
        gU[ub + d]! += g * (items[ib + d]! - items[jb + d]!) + r * pu;
        gI[ib + d]! += g * pu + r * items[ib + d]!;
        gI[jb + d]! += -g * pu + r * items[jb + d]!;
      }
    }
    const lrT = (lr * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
    adamRows(users, mU, vU, gU, touchedU, nu, dim, lrT);
    adamRows(items, mI, vI, gI, touchedI, ni, dim, lrT);
  }
  return lossSum / n;
}

function adamRows(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, rows: Int32Array, count: number, dim: number, lrT: number): void {
  for (let r = 0; r < count; r += 1) {
    const base = rows[r]! * dim;
    for (let d = 0; d < dim; d += 1) {
      const k = base + d;
      const gk = g[k]!;
      m[k] = 0.9 * m[k]! + 0.1 * gk;
      v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
      w[k] = w[k]! - (lrT * m[k]!) / (Math.sqrt(v[k]!) + 1e-8);
    }
  }
}
