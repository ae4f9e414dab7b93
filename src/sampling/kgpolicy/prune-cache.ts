/**
 * Pruned candidate rows per (hop, node), valid until the representations or
 * the neighbour tables change. Flat Int32Arrays with a stamp per node instead
 * of a Map: amazon-book's walk graph has ~125k nodes and a walk batch looks
 * up 4 rows per pair.
 */
export class PruneCache {
  readonly #widths: readonly [number, number];
  readonly #rows: readonly [Int32Array, Int32Array];
  readonly #stamps: readonly [Int32Array, Int32Array];
  #version = 1;
  hits = 0;
  misses = 0;

  constructor(nodes: number, hop1Width: number, hop2Width: number) {
    this.#widths = [hop1Width, hop2Width];
    this.#rows = [new Int32Array(nodes * hop1Width), new Int32Array(nodes * hop2Width)];
    this.#stamps = [new Int32Array(nodes), new Int32Array(nodes)];
  }

  width(hop: 1 | 2): number {
    return this.#widths[hop - 1]!;
  }

  /** Forget every row (new representations or new tables). */
  invalidate(): void {
    this.#version += 1;
  }

  get(hop: 1 | 2, node: number): Int32Array | undefined {
    if (this.#stamps[hop - 1]![node] !== this.#version) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    const width = this.#widths[hop - 1]!;
    return this.#rows[hop - 1]!.subarray(node * width, (node + 1) * width);
  }

  set(hop: 1 | 2, node: number, row: Int32Array): void {
    const width = this.#widths[hop - 1]!;
    this.#rows[hop - 1]!.set(row, node * width);
    this.#stamps[hop - 1]![node] = this.#version;
  }
}
