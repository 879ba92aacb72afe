/**
 * Sequential composition of numeric matrix transformers.
 *
 * @module
 */
import { InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { type DenseMatrix, type MatrixLike, denseLike, toDense } from '../core/matrix';
import { type EstimatorJSON, type JsonValue, checkEnvelope, notFitted } from '../core/estimator';
import { resolveOptions, rules } from '../core/options';
import { checkDense } from './_internal/matrixTransformer';
import { minMaxScaler, minMaxScalerFromJSON } from './minMaxScaler';
import { robustScaler, robustScalerFromJSON } from './robustScaler';
import { simpleImputer, simpleImputerFromJSON } from './simpleImputer';
import { standardScaler, standardScalerFromJSON } from './standardScaler';
import type { FittedMatrixTransformer, MatrixTransform, MatrixTransformerSpec } from './transformer';

/**
 * Any fitted numeric transformer usable as a pipeline step.
 * @category Data
 */
export type AnyFittedMatrixTransformer = FittedMatrixTransformer<unknown, unknown>;
/**
 * Any numeric transformer spec usable as a pipeline step.
 * @category Data
 */
export type AnyMatrixTransformerSpec = MatrixTransformerSpec<unknown, AnyFittedMatrixTransformer>;

/**
 * Parameters of {@link pipeline}: the step specs.
 * @category Data
 */
export interface PipelineParams {
  readonly steps: readonly AnyMatrixTransformerSpec[];
}

/**
 * Fitted state of a pipeline: the fitted steps.
 * @category Data
 */
export interface PipelineState {
  readonly steps: readonly AnyFittedMatrixTransformer[];
}

/**
 * A fitted pipeline (a fitted transformer itself; `inverseTransform` works when every step has one).
 * @category Data
 */
export interface FittedPipeline extends FittedMatrixTransformer<PipelineParams, PipelineState> {
  readonly kind: 'Pipeline';
  /** Applies the inverses of the steps in reverse order. @throws {InvalidOptionError} when a step has no inverse. */
  readonly inverseTransform: MatrixTransform;
}

/**
 * An unfitted pipeline spec.
 * @category Data
 */
export type PipelineSpec = MatrixTransformerSpec<PipelineParams, FittedPipeline>;

/** Deserialisers of the step kinds a pipeline can restore. */
const STEP_KINDS: Readonly<Record<string, (json: unknown) => AnyFittedMatrixTransformer>> = {
  StandardScaler: standardScalerFromJSON as (json: unknown) => AnyFittedMatrixTransformer,
  MinMaxScaler: minMaxScalerFromJSON as (json: unknown) => AnyFittedMatrixTransformer,
  RobustScaler: robustScalerFromJSON as (json: unknown) => AnyFittedMatrixTransformer,
  SimpleImputer: simpleImputerFromJSON as (json: unknown) => AnyFittedMatrixTransformer,
  Pipeline: (json: unknown) => pipelineFromJSON(json) as unknown as AnyFittedMatrixTransformer,
};

const STEP_FACTORIES: Readonly<Record<string, unknown>> = {
  StandardScaler: standardScaler,
  MinMaxScaler: minMaxScaler,
  RobustScaler: robustScaler,
  SimpleImputer: simpleImputer,
};

interface Invertible {
  inverseTransformDense(x: DenseMatrix): DenseMatrix;
}

function makeFitted(params: PipelineParams, steps: readonly AnyFittedMatrixTransformer[]): FittedPipeline {
  const first = steps[0] as AnyFittedMatrixTransformer;
  const last = steps[steps.length - 1] as AnyFittedMatrixTransformer;
  const nIn = first.nFeaturesIn;
  // NaN is checked by the steps themselves (an imputer step accepts it, a scaler does not).
  const allowNaN = true;
  const run = (m: DenseMatrix): DenseMatrix => steps.reduce((acc, s) => s.transformDense(acc), m);
  const inverse = (m: DenseMatrix): DenseMatrix =>
    steps.reduceRight((acc, s) => {
      const inv = (s as unknown as Partial<Invertible>).inverseTransformDense;
      if (typeof inv !== 'function') {
        throw new InvalidOptionError({ fn: 'pipeline.inverseTransform', arg: 'steps', expected: 'steps that all have an inverse', got: `a ${s.kind} step` });
      }
      return inv(acc);
    }, m);
  const state: PipelineState = Object.freeze({ steps: Object.freeze([...steps]) });
  return Object.freeze({
    kind: 'Pipeline' as const,
    params,
    state,
    nFeaturesIn: nIn,
    nFeaturesOut: last.nFeaturesOut,
    transform: ((x: MatrixLike) => denseLike(run(toDense(x, 'x', 'pipeline.transform', { cols: nIn, allowNaN })), x)) as MatrixTransform,
    transformDense: (x: DenseMatrix) => run(checkDense(x, 'x', 'pipeline.transform', { cols: nIn, allowNaN })),
    inverseTransform: ((x: MatrixLike) =>
      denseLike(inverse(toDense(x, 'x', 'pipeline.inverseTransform', { cols: last.nFeaturesOut })), x)) as MatrixTransform,
    toJSON: (): EstimatorJSON => ({
      kind: 'Pipeline',
      version: 1,
      params: { steps: params.steps.map((s) => ({ kind: s.kind, params: s.params as JsonValue })) },
      state: { steps: steps.map((s) => s.toJSON() as unknown as JsonValue) },
    }),
  });
}

function isSpec(s: unknown): s is AnyMatrixTransformerSpec {
  return typeof s === 'object' && s !== null && typeof (s as { fitDense?: unknown }).fitDense === 'function' && typeof (s as { kind?: unknown }).kind === 'string';
}

/**
 * Chains numeric transformer specs (imputer → scaler → ...): `fit` fits each step on the output of
 * the previous one; the fitted pipeline is itself a fitted transformer with `toJSON` and
 * `inverseTransform` (when every step is invertible).
 *
 * @param steps - Non-empty list of specs such as `simpleImputer()`, `standardScaler()`, or other pipelines.
 * @returns A frozen spec; `fit(x)` returns a frozen {@link FittedPipeline}.
 * @throws {InvalidOptionError} an empty list or a step that is not a numeric transformer spec.
 * @example
 * ```ts
 * import { pipeline, simpleImputer, standardScaler } from 'finml';
 * const p = pipeline([simpleImputer({ strategy: 'median' }), standardScaler()]).fit([[1], [NaN], [3]]);
 * p.transform([[NaN]]); //=> [[0]]
 * ```
 * @category Data
 */
export function pipeline(steps: readonly AnyMatrixTransformerSpec[]): PipelineSpec {
  const fn = 'pipeline';
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new InvalidOptionError({ fn, arg: 'steps', expected: 'a non-empty array of transformer specs', got: describeValue(steps) });
  }
  steps.forEach((s, i) => {
    if (!isSpec(s)) throw new InvalidOptionError({ fn, arg: `steps[${i}]`, expected: 'a numeric transformer spec (e.g. standardScaler())', got: describeValue(s) });
  });
  const params: PipelineParams = Object.freeze({ steps: Object.freeze([...steps]) });
  const allowNaN = true; // checked by the steps
  const fitDense = (x: DenseMatrix): FittedPipeline => {
    const fitted: AnyFittedMatrixTransformer[] = [];
    let cur = checkDense(x, 'x', 'pipeline.fit', { allowNaN });
    for (const s of steps) {
      const f = s.fitDense(cur);
      fitted.push(f);
      cur = f.transformDense(cur);
    }
    return makeFitted(params, fitted);
  };
  const fit = (x: MatrixLike): FittedPipeline => fitDense(toDense(x, 'x', 'pipeline.fit', { allowNaN }));
  return Object.freeze({
    kind: 'Pipeline',
    params,
    fit,
    fitDense,
    fitTransform: ((x: MatrixLike) => {
      const m = toDense(x, 'x', 'pipeline.fitTransform', { allowNaN });
      return denseLike(fitDense(m).transformDense(m), x);
    }) as MatrixTransform,
    // resolveOptions rejects unknown keys (they were silently ignored); pipeline() validates the steps.
    withParams: (patch: Partial<PipelineParams>) =>
      pipeline(resolveOptions('pipeline.withParams', patch, params, { steps: rules.custom('a non-empty array of transformer specs', () => true) }).steps),
    transform: notFitted('Pipeline', 'transform'),
  });
}

/**
 * Restores a fitted pipeline from its `toJSON()` envelope (steps of kinds StandardScaler,
 * MinMaxScaler, RobustScaler, SimpleImputer or Pipeline).
 *
 * @param json - A parsed `toJSON()` envelope (e.g. from `JSON.parse`).
 * @returns the fitted object, behaving exactly like the one that was saved.
 * @throws {SerializationError} malformed envelope or an unknown step kind.
 * @example
 * ```ts
 * import { pipeline, standardScaler, pipelineFromJSON } from 'finml';
 * const p = pipeline([standardScaler()]).fit([[1], [3]]);
 * pipelineFromJSON(JSON.parse(JSON.stringify(p.toJSON()))).transform([[3]]); //=> [[1]]
 * ```
 * @category Data
 */
export function pipelineFromJSON(json: unknown): FittedPipeline {
  const fn = 'pipelineFromJSON';
  const env = checkEnvelope(json, 'Pipeline', [1], fn);
  const st = env.state as { steps?: unknown };
  if (typeof st !== 'object' || st === null || !Array.isArray(st.steps) || st.steps.length === 0) {
    throw new SerializationError({ fn, arg: 'json.state.steps', expected: 'a non-empty array of step envelopes', got: describeValue(st) });
  }
  const fitted = st.steps.map((s: unknown, i: number) => {
    const kind = typeof s === 'object' && s !== null ? (s as { kind?: unknown }).kind : undefined;
    const from = typeof kind === 'string' ? STEP_KINDS[kind] : undefined;
    if (from === undefined) {
      throw new SerializationError({ fn, arg: `json.state.steps[${i}].kind`, expected: `one of ${Object.keys(STEP_KINDS).join(', ')}`, got: describeValue(kind) });
    }
    return from(s);
  });
  for (let i = 1; i < fitted.length; i++) {
    if ((fitted[i] as AnyFittedMatrixTransformer).nFeaturesIn !== (fitted[i - 1] as AnyFittedMatrixTransformer).nFeaturesOut) {
      throw new SerializationError({ fn, arg: `json.state.steps[${i}]`, expected: 'a width matching the previous step', got: describeValue(fitted[i]) });
    }
  }
  const specs = fitted.map((f) => respec(f));
  return makeFitted(Object.freeze({ steps: Object.freeze(specs) }), fitted);
}

/** Rebuilds the spec of a restored step from its kind and params, so that the pipeline can be refitted. */
function respec(f: AnyFittedMatrixTransformer): AnyMatrixTransformerSpec {
  if (f.kind === 'Pipeline') return pipeline((f as unknown as FittedPipeline).params.steps);
  const make = STEP_FACTORIES[f.kind] as (p: unknown) => AnyMatrixTransformerSpec;
  return make(f.params);
}
