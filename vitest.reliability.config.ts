import { defineConfig } from 'vitest/config';

// Boot/stop cycles, concurrent guests, injected faults: one file at a time, real QEMU under TCG.
export default defineConfig({
  test: {
    include: ['test/reliability/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 180_000,
  },
});
