/**
 * The finml version written into bundles (kept equal to package.json's version by a test).
 * @internal
 */
export const FINML_VERSION = '0.1.0';
