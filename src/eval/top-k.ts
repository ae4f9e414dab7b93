/**
 * The K best entries of a score row, best first; -Infinity marks a column that
 * may not be returned (callers mask excluded items that way, which keeps the
 * scan to one comparison per entry). A bounded heap with the worst kept entry
 * on top, where of two equal scores the later column is the worse: so equal
 * scores keep the lower column, as TensorFlow's TopK does. O(n log K) worst
 * case, and most entries fail the first comparison against the current K-th best.
 */
export function topK(scores: Float32Array, offset: number, length: number, k: number, out: Int32Array, outScores?: Float32Array): number {
  const heapIdx = new Int32Array(k);
  const heapVal = new Float32Array(k);
  let size = 0;
  let threshold = -Infinity;
  const end = offset + length;
  for (let p = offset; p < end; p += 1) {
    const s = scores[p]!;
    if (s <= threshold) continue;
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heapVal[parent]! < s) break;
        heapVal[c] = heapVal[parent]!;
        heapIdx[c] = heapIdx[parent]!;
        c = parent;
      }
      heapVal[c] = s;
      heapIdx[c] = p - offset;
      if (size === k) threshold = heapVal[0]!;
    } else {
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && (heapVal[r]! < heapVal[l]! || (heapVal[r] === heapVal[l] && heapIdx[r]! > heapIdx[l]!)) ? r : l;
        if (heapVal[m]! >= s) break;
        heapVal[c] = heapVal[m]!;
        heapIdx[c] = heapIdx[m]!;
        c = m;
      }
      heapVal[c] = s;
      heapIdx[c] = p - offset;
      threshold = heapVal[0]!;
    }
  }
  // Descending; ties by lower index first, for determinism.
  const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => heapVal[b]! - heapVal[a]! || heapIdx[a]! - heapIdx[b]!);
  for (let r = 0; r < size; r += 1) {
    out[r] = heapIdx[order[r]!]!;
    if (outScores) outScores[r] = heapVal[order[r]!]!;
  }
  return size;
}

/** Sets the excluded columns of a row to -Infinity, so that topK skips them. */
export function maskRow(scores: Float32Array, offset: number, excluded: Int32Array): void {
  for (let e = 0; e < excluded.length; e += 1) scores[offset + excluded[e]!] = -Infinity;
}
