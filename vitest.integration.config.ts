import { defineConfig } from 'vitest/config';

// Real QEMU guests: one file at a time on a 2-core machine, generous timeouts,
// every test tears its guest down itself.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
