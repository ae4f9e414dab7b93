/**
 * The K best entries of a score row, skipping excluded columns, best first.
 * A bounded min-heap: O(n log K) per row, no sort of the whole row.
 */
export function topK(
  scores: Float32Array,
  offset: number,
  length: number,
  k: number,
  excluded: Int32Array,
  out: Int32Array,
  outScores?: Float32Array,
): number {
  // excluded is sorted; walk it alongside the row.
  const heapIdx = new Int32Array(k);
  const heapVal = new Float32Array(k);
  let size = 0;
  let e = 0;
  for (let j = 0; j < length; j += 1) {
    while (e < excluded.length && excluded[e]! < j) e += 1;
    if (e < excluded.length && excluded[e] === j) continue;
    const s = scores[offset + j]!;
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapVal[p]! <= s) break;
        heapVal[c] = heapVal[p]!;
        heapIdx[c] = heapIdx[p]!;
        c = p;
      }
      heapVal[c] = s;
      heapIdx[c] = j;
    } else if (s > heapVal[0]!) {
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && heapVal[r]! < heapVal[l]! ? r : l;
        if (heapVal[m]! >= s) break;
        heapVal[c] = heapVal[m]!;
        heapIdx[c] = heapIdx[m]!;
        c = m;
      }
      heapVal[c] = s;
      heapIdx[c] = j;
    }
  }
  // Pop into descending order (ties: lower index first, for determinism).
  const order = Array.from({ length: size }, (_, i) => i).sort(
    (a, b) => heapVal[b]! - heapVal[a]! || heapIdx[a]! - heapIdx[b]!,
  );
  for (let r = 0; r < size; r += 1) {
    out[r] = heapIdx[order[r]!]!;
    if (outScores) outScores[r] = heapVal[order[r]!]!;
  }
  return size;
}
