import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      data: 'src/data/index.ts',
      models: 'src/models/index.ts',
      train: 'src/train/index.ts',
      metrics: 'src/metrics/index.ts',
      explain: 'src/explain/index.ts',
      node: 'src/node/index.ts',
      poolWorker: 'src/_lib/poolWorker.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    splitting: true,
    shims: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    external: [/^@tensorflow\//, /^node:/],
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    platform: 'node',
    external: [/^@tensorflow\//],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
