import { defineConfig } from 'vitest/config';

/**
 * Two projects: the whole suite on the CPU backend, and the core suite
 * (contract checks, backend checks, models that must train everywhere) again on WASM.
 */
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'cpu',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          setupFiles: ['test/setup/cpu.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'wasm',
          include: ['test/contract/**/*.test.ts', 'test/backend/**/*.test.ts', 'test/**/*.wasm.test.ts'],
          setupFiles: ['test/setup/wasm.ts'],
        },
      },
    ],
  },
});
