import { defineConfig } from 'vitest/config';

/**
 * Three projects: the whole suite on the CPU backend; the core suite (contract checks, backend
 * checks, models that must train everywhere) again on WASM; and the headless-Chromium test
 * (test/browser, wasm + webgl backends in a real browser, no backend setup file).
 */
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/setup/summaryReporter.ts'],
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
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
        },
      },
    ],
  },
});
