import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/base/rng.js';
import { edgeBalancedBounds, ParallelSpmm } from '../../src/sampling/parallel-spmm.js';

function randomCsr(rows: number, rng: Rng) {
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  for (let r = 0; r < rows; r += 1) {
    // Skewed degrees (a few hubs), as in a KG + interaction graph; some rows empty.
    const degree = r % 17 === 0 ? 40 + rng.nextInt(40) : rng.nextInt(6);
    for (let k = 0; k < degree; k += 1) indices.push(rng.nextInt(rows));
    indptr[r + 1] = indices.length;
  }
  const weights = Float32Array.from(indices, () => rng.nextFloat());
  return { rows, indptr, indices: Int32Array.from(indices), weights };
}

describe('ParallelSpmm', () => {
  it('gives bitwise the single-threaded product on 1, 2 and 3 threads, call after call', () => {
    const rng = new Rng(5);
    const csr = randomCsr(500, rng);
    const reference = new ParallelSpmm(csr, 8, 1);
    const parallel = [new ParallelSpmm(csr, 8, 2), new ParallelSpmm(csr, 8, 3)];
    expect(parallel.map((p) => p.threads)).toEqual([2, 3]);
    try {
      for (let call = 0; call < 4; call += 1) {
        const width = call % 2 === 0 ? 8 : 3;
        const x = Float32Array.from({ length: 500 * width }, () => rng.nextNormal());
        const expected = reference.multiply(x, width);
        // A hand computation of one hub row.
        let row0 = 0;
        for (let k = csr.indptr[0]!; k < csr.indptr[1]!; k += 1) row0 += csr.weights[k]! * x[csr.indices[k]! * width]!;
        expect(expected[0]).toBeCloseTo(row0, 4);
        for (const p of parallel) expect(Buffer.from(p.multiply(x, width).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
      }
    } finally {
      for (const p of [reference, ...parallel]) p.dispose();
    }
  });

  it('splits rows so that each part holds about the same number of edges', () => {
    const indptr = Int32Array.from([0, 10, 10, 11, 12, 13, 20, 40]);
    const bounds = edgeBalancedBounds(indptr, 2);
    expect(Array.from(bounds)).toEqual([0, 6, 7]);
    expect(Array.from(edgeBalancedBounds(indptr, 1))).toEqual([0, 7]);
  });
});
