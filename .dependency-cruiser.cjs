/**
 * finml's house rules, checked by `npm run lint:deps` (part of `npm test`).
 *
 * Layers, lowest first. A module may import from its own layer and lower layers only;
 * `_internal/` folders are private to their area and the areas above it.
 */
const LAYERS = [
  'core',
  'io',
  'data',
  'metrics',
  'train',
  'models',
  'gan',
  'explain',
  'search',
  'scorecard',
  'presets',
  'report',
  'registry', // src/registry.ts: every area's estimator kinds
  'parallel',
  'extend', // src/extend/: re-exports the building blocks for user-written estimators (finml/extend)
  'index', // src/index.ts: the public root entry
  'node',
  'cli',
];

const layerOf = (name) => (name === 'registry' || name === 'index' ? `^src/${name}\\.ts$` : `^src/${name}/`);

/** For each layer, forbid imports of every higher layer. */
const upward = LAYERS.flatMap((lower, i) =>
  LAYERS.slice(i + 1).map((higher) => ({
    name: `layer-${lower}-not-above`,
    comment: `${lower} sits below ${higher} in the layer order (see .dependency-cruiser.cjs and docs/CONTRIBUTING.md)`,
    severity: 'error',
    from: { path: layerOf(lower) },
    to: { path: layerOf(higher) },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles (type-only imports included) make load order fragile and areas inseparable.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-lib-folder',
      comment: 'There is no grab-bag folder: a helper lives in the area that owns it (<area>/_internal/).',
      severity: 'error',
      from: {},
      to: { path: '^src/_lib/' },
    },
    {
      name: 'no-unknown-area',
      comment: 'Every folder of src/ has a place in the layer order: add a new area to LAYERS.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: `^src/(${LAYERS.join('|')})(/|\\.ts$)|^src/package\\.json$` },
    },
    {
      name: 'no-src-to-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts|examples)/' },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
