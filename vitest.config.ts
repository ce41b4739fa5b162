import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Removes the temporary folders each test file made (tests/helpers.ts, tempDir).
    setupFiles: ['tests/setup.ts'],
    // Tests that spawn the CLI and build mbox files take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
