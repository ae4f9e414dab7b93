import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-neo4j.ts'],
    // One Neo4j serves every test file; running files one at a time keeps the
    // 2-core CI machine from timing out and makes failures readable.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
