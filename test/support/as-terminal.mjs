/**
 * Preloaded into a CLI child (`node --import ./test/support/as-terminal.mjs ...`,
 * see AS_TERMINAL in child.ts) so that its progress output is what a terminal
 * gets: the bar redrawn in place every 100 ms or so, instead of a plain line
 * at most every few seconds. A test that has to act at a moment of the child's
 * work (kill an ingestion half-way through a phase) waits for those lines.
 * Only isTTY changes; the output still goes to the test's pipes.
 */
for (const stream of [process.stdout, process.stderr]) {
  Object.defineProperty(stream, 'isTTY', { value: true, configurable: true });
}
