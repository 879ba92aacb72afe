/**
 * Saving and loading: bundles (pipeline + network), bundle stores and tfjs-format export.
 *
 * @module finml/io
 */
export { saveBundle, loadBundle, bundleToArtifacts, bundleFromArtifacts, memoryBundleStore, BUNDLE_FORMAT } from './bundle';
export type { Bundle, BundleMetadata, BundleJSON, LoadedBundle, MemoryBundleStore } from './bundle';
export * from './exportLayersModel';
