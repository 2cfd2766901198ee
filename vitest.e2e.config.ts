import { defineConfig } from 'vitest/config';

// The UI in Debian's Chromium against browser mode with a real TCG guest.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
