/**
 * Saving and loading: every finml format and its version migrations. The bundle format (a network
 * + pipeline + metadata as tfjs artifacts), bundle stores for any runtime (in memory, the
 * browser's IndexedDB; file stores are in `finml/node`) and the typed network parts every
 * format stores ({@link NetworkParts}: what `fitted.exportNetwork()` returns).
 *
 * Naming rule of restore functions, everywhere in finml:
 * - `xxxFromJSON(json)` restores from a JSON envelope (`toJSON()` output, parsed);
 * - `xxxFromParts(envelope, parts)` from an envelope plus {@link NetworkParts};
 * - `xxxFromArtifacts(artifacts)` from tfjs model artifacts (`xxxToArtifacts` is the inverse);
 * - `loadXxx(store)` through a store (a tfjs IOHandler; `saveXxx(value, store)` is the inverse).
 *
 * Estimator glue lives with the estimators: `saveBundle` / `loadBundle` / `bundleToArtifacts` /
 * `bundleFromArtifacts`, `neuralModelFromParts` and `exportLayersModel` in `finml/models`,
 * `saveRiskModel` / `loadRiskModel` in `finml/presets`.
 *
 * @module finml/io
 */
export { memoryBundleStore, BUNDLE_FORMAT } from './bundle';
export type { BundleMetadata, BundleJSON, MemoryBundleStore } from './bundle';
export { RISK_MODEL_FORMAT } from './riskModel';
export type { RiskModelMetadata } from './riskModel';
export type { NetworkParts, NetworkExporter, WeightSpec } from './networkParts';
export { indexedDbBundleStore } from './indexedDbBundleStore';
export type { IndexedDbBundleStore, IndexedDbBundleStoreOptions } from './indexedDbBundleStore';
