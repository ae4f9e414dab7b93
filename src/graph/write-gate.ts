/**
 * A shared/exclusive gate for the concurrent write batches of one call.
 *
 * Concurrent `UNWIND $batch` writes that create relationships on the same
 * dense nodes (popular items) can deadlock in Neo4j. The driver retries a
 * deadlocked transaction, but only for `maxTransactionRetryTime`, and on a
 * loaded machine each attempt of a large batch can take long enough that the
 * window runs out while the other batches keep colliding with it (seen once in
 * CI, amazon-book interactions). A batch that gave up is therefore run again
 * alone: it waits for the batches in flight to finish and holds back new ones,
 * so no other batch of this call can deadlock it.
 */
export class WriteGate {
  #active = 0;
  #exclusive: Promise<void> | undefined;
  #drained: (() => void)[] = [];

  /** Runs `work` alongside other shared work, after any exclusive work. */
  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.#exclusive) await this.#exclusive;
    this.#active += 1;
    try {
      return await work();
    } finally {
      this.#active -= 1;
      if (this.#active === 0) for (const wake of this.#drained.splice(0)) wake();
    }
  }

  /** Runs `work` with nothing else of this gate running. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.#exclusive) await this.#exclusive;
    let release!: () => void;
    this.#exclusive = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      while (this.#active > 0) await new Promise<void>((resolve) => this.#drained.push(resolve));
      return await work();
    } finally {
      this.#exclusive = undefined;
      release();
    }
  }
}
