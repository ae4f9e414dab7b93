/**
 * User-item sets in compressed sparse rows: the items of user u are
 * indices[indptr[u] .. indptr[u+1]), sorted ascending, without repeats.
 */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  /** [rows + 1] */
  readonly indptr: Int32Array;
  /** [nnz], column indices (item indices) */
  readonly indices: Int32Array;
}

export function csrFromPairs(rows: number, cols: number, rowIdxs: Int32Array, colIdxs: Int32Array): Csr {
  const counts = new Int32Array(rows + 1);
  for (let k = 0; k < rowIdxs.length; k += 1) counts[(rowIdxs[k] as number) + 1]! += 1;
  for (let r = 0; r < rows; r += 1) counts[r + 1]! += counts[r]!;
  const fill = counts.slice(0, rows);
  const raw = new Int32Array(rowIdxs.length);
  for (let k = 0; k < rowIdxs.length; k += 1) raw[fill[rowIdxs[k]!]!++] = colIdxs[k]!;
  // Sort each row and drop repeats.
  const indptr = new Int32Array(rows + 1);
  const out = new Int32Array(raw.length);
  let n = 0;
  for (let r = 0; r < rows; r += 1) {
    const row = raw.subarray(counts[r]!, counts[r + 1]!).sort();
    for (let k = 0; k < row.length; k += 1) if (k === 0 || row[k] !== row[k - 1]) out[n++] = row[k]!;
    indptr[r + 1] = n;
  }
  return { rows, cols, indptr, indices: out.slice(0, n) };
}

export function rowOf(csr: Csr, row: number): Int32Array {
  return csr.indices.subarray(csr.indptr[row]!, csr.indptr[row + 1]!);
}

/** Whether (row, col) is set: binary search in the sorted row. */
export function csrHas(csr: Csr, row: number, col: number): boolean {
  return sortedIncludes(csr.indices, col, csr.indptr[row]!, csr.indptr[row + 1]! - 1);
}

/** Binary search for `col` in sorted[lo..hi]. */
export function sortedIncludes(indices: Int32Array, col: number, lo = 0, hi = indices.length - 1): boolean {
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = indices[mid]!;
    if (value === col) return true;
    if (value < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The (row, col) pairs of a CSR, row-major. */
export function csrPairs(csr: Csr): { rowIdxs: Int32Array; colIdxs: Int32Array } {
  const rowIdxs = new Int32Array(csr.indices.length);
  for (let r = 0; r < csr.rows; r += 1) rowIdxs.fill(r, csr.indptr[r]!, csr.indptr[r + 1]!);
  return { rowIdxs, colIdxs: csr.indices.slice() };
}
