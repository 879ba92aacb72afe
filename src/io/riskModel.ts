/**
 * The risk-model format: a fitted risk model (ensemble members + pipeline + explainer + baseline)
 * as tfjs model artifacts (format `'finml-risk-model'`, version 3; version 2, without the GAM
 * member, still loads). Layout:
 * - `weightData`: ONE buffer, the float32 weights of member 0, then member 1, … (raw bytes, no base64);
 * - `weightSpecs`: the tfjs manifest of those bytes, in order; every name is prefixed with its
 *   member, `member<i>/<weight name>`, which gives the per-member weight specs and byte ranges;
 * - `modelTopology`: `{ format: 'finml-risk-model', members: [<tfjs-layers topology of member i>] }`;
 * - `userDefinedMetadata.finml`: params, the fitted pipeline's and SHAP explainer's envelopes, the
 *   validation metrics, each member's envelope without topology and weights, metadata
 *   ({@link RiskModelMetadata}) and SHA-256 content hashes.
 *
 * The file store writes these as `model.json` (topology + weight manifest), `weights.bin` and
 * `bundle.json` (the finml part). `saveRiskModel` / `loadRiskModel` (finml/presets) are the
 * estimator glue.
 *
 * @module
 */

/** Format identifier of saved risk models (artifacts `format` and `userDefinedMetadata.finml.format`). @category Presets */
export const RISK_MODEL_FORMAT = 'finml-risk-model';

/**
 * Metadata stored with a saved risk model.
 *
 * @category Presets
 */
export interface RiskModelMetadata {
  /** The raw input columns the model scores (the pipeline's input columns, in order). */
  readonly featureNames: readonly string[];
  /** The target column the model was trained on. */
  readonly target: string;
  /** `[nonDefaultLabel, defaultLabel]`. */
  readonly classes: readonly string[];
  /** The label modelled as default (`classes[1]`). */
  readonly positive: string;
  /** Number of ensemble members. */
  readonly members: number;
  /** The model's seed. */
  readonly seed: number;
  /** ISO 8601 time of saving (or the `createdAt` given to `saveRiskModel`). */
  readonly createdAt: string;
  /** finml version that wrote the artifacts. */
  readonly finmlVersion: string;
}

/** The untrusted pieces of a stored risk model. @internal */
export interface StoredRiskModel {
  readonly params: unknown;
  readonly pipeline: unknown;
  readonly explainer: unknown;
  readonly validation: unknown;
  readonly members: unknown;
  readonly baseline: unknown;
  readonly gam: unknown;
  readonly combiner: unknown;
  readonly positive: unknown;
}

/**
 * Version-2 pieces (no GAM member, no piecewise-linear encoding) as version 3: `gam` null,
 * `gamWeight` 0, an empty encoding and `pleBins: 0` in the params; everything else unchanged, so
 * such a model scores exactly as before (the migration of the risk-model envelope and
 * artifacts from version 2 to 3; the presets glue restores the upgraded pieces). Malformed pieces are passed through for the checks. @internal
 */
export function upgradeStoredRiskModel(stored: StoredRiskModel): StoredRiskModel {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return {
    ...stored,
    params: obj(stored.params) && !('pleBins' in stored.params) ? { ...stored.params, pleBins: 0 } : stored.params,
    gam: null,
    combiner: obj(stored.combiner) ? { gamWeight: 0, ple: { columns: [], edges: [] }, ...stored.combiner } : stored.combiner,
    validation: obj(stored.validation) ? { gamWeight: 0, ...stored.validation } : stored.validation,
  };
}
