/**
 * Private plumbing shared by the numeric matrix transformers of src/data (scalers, imputer,
 * pipeline): input normalisation, output form, freezing and the JSON envelope.
 */
import { DataError, InvalidOptionError, SerializationError, ShapeError, describeValue } from '../../core/errors';
import { type DenseMatrix, type MatrixLike, denseLike, toDense } from '../../core/matrix';
import { type EstimatorJSON, type JsonValue, checkEnvelope, notFitted } from '../../core/estimator';
import type {
  FittedMatrixTransformer,
  InvertibleMatrixTransformer,
  MatrixTransform,
  MatrixTransformerSpec,
} from '../transformer';

/** Definition of one matrix transformer. */
export interface MatrixDef<P, S> {
  readonly kind: string;
  /** Public factory name, e.g. 'standardScaler'. */
  readonly fn: string;
  readonly version: number;
  /** NaN accepted at fit and transform (imputers). */
  readonly allowNaN: boolean;
  fitState(x: DenseMatrix, params: Readonly<P>): S;
  apply(x: DenseMatrix, s: Readonly<S>, params: Readonly<P>): DenseMatrix;
  invert?(x: DenseMatrix, s: Readonly<S>, params: Readonly<P>): DenseMatrix;
  /** Output width (default: input width). */
  nOut?(s: Readonly<S>, nIn: number): number;
  /** Output may contain NaN (default false); checked when false only for inputs. */
  readonly stateToJSON: (s: Readonly<S>) => JsonValue;
}

/** Validates a DenseMatrix argument (shape consistency, width, values). */
export function checkDense(
  x: DenseMatrix,
  arg: string,
  fn: string,
  opts: { readonly cols?: number; readonly allowNaN?: boolean; readonly minRows?: number } = {},
): DenseMatrix {
  if (typeof x !== 'object' || x === null || !(x.data instanceof Float64Array) || x.data.length !== x.rows * x.cols) {
    throw new ShapeError({ fn, arg, expected: 'a DenseMatrix { rows, cols, data: Float64Array(rows*cols) }', got: describeValue(x) });
  }
  const minRows = opts.minRows ?? 1;
  if (x.rows < minRows) throw new DataError({ fn, arg, expected: `at least ${minRows} row(s)`, got: `${x.rows} rows` });
  if (opts.cols !== undefined && x.cols !== opts.cols) {
    throw new ShapeError({ fn, arg, expected: `${opts.cols} columns (as seen in fit)`, got: `${x.cols} columns` });
  }
  for (let k = 0; k < x.data.length; k++) {
    const v = x.data[k] as number;
    if (!Number.isFinite(v) && !(opts.allowNaN === true && Number.isNaN(v))) {
      throw new DataError({
        fn,
        arg,
        expected: opts.allowNaN === true ? 'finite numbers or NaN (missing)' : 'finite numbers (no NaN or Infinity; impute or drop missing values first)',
        got: `${describeValue(v)} at row ${Math.floor(k / x.cols)}, column ${k % x.cols}`,
      });
    }
  }
  return x;
}

/** Builds a frozen fitted transformer from a definition and a state. */
export function makeFitted<P, S, F extends FittedMatrixTransformer<P, S>>(def: MatrixDef<P, S>, params: Readonly<P>, state: Readonly<S>, nIn: number): F {
  const nOut = def.nOut !== undefined ? def.nOut(state, nIn) : nIn;
  const tfn = `${def.fn}.transform`;
  const ifn = `${def.fn}.inverseTransform`;
  const transformDense = (x: DenseMatrix): DenseMatrix =>
    def.apply(checkDense(x, 'x', tfn, { cols: nIn, allowNaN: def.allowNaN }), state, params);
  const transform = ((x: MatrixLike) =>
    denseLike(def.apply(toDense(x, 'x', tfn, { cols: nIn, allowNaN: def.allowNaN }), state, params), x)) as MatrixTransform;
  const invert = def.invert;
  const noInverse = (): never => {
    throw new InvalidOptionError({ fn: ifn, arg: 'this', expected: 'a transformer with an inverse', got: `a ${def.kind}, which has none` });
  };
  const inverseTransformDense = (x: DenseMatrix): DenseMatrix => {
    if (invert === undefined) return noInverse();
    return invert(checkDense(x, 'x', ifn, { cols: nOut }), state, params);
  };
  const inverseTransform = ((x: MatrixLike) => {
    if (invert === undefined) return noInverse();
    return denseLike(invert(toDense(x, 'x', ifn, { cols: nOut }), state, params), x);
  }) as MatrixTransform;
  const fitted: FittedMatrixTransformer<P, S> = {
    kind: def.kind,
    params,
    state,
    nFeaturesIn: nIn,
    nFeaturesOut: nOut,
    transform,
    transformDense,
    toJSON: (): EstimatorJSON => ({
      kind: def.kind,
      version: def.version,
      params: params as unknown as JsonValue,
      state: { nFeaturesIn: nIn, ...(def.stateToJSON(state) as Record<string, JsonValue>) },
    }),
  };
  if (invert === undefined) return Object.freeze(fitted) as F;
  const inv: InvertibleMatrixTransformer<P, S> = { ...fitted, inverseTransform, inverseTransformDense };
  return Object.freeze(inv) as unknown as F;
}

/** Builds a frozen spec. `make` re-creates a spec from (validated) params, used by withParams. */
export function makeSpec<P, S, F extends FittedMatrixTransformer<P, S>>(
  def: MatrixDef<P, S>,
  params: Readonly<P>,
  make: (p: Partial<P>) => MatrixTransformerSpec<P, F>,
): MatrixTransformerSpec<P, F> {
  const ffn = `${def.fn}.fit`;
  const fitDense = (x: DenseMatrix): F => {
    const m = checkDense(x, 'x', ffn, { allowNaN: def.allowNaN });
    if (m.cols === 0) throw new DataError({ fn: ffn, arg: 'x', expected: 'at least 1 column', got: '0 columns' });
    return makeFitted<P, S, F>(def, params, Object.freeze(def.fitState(m, params)), m.cols);
  };
  const fit = (x: MatrixLike): F => fitDense(toDense(x, 'x', ffn, { allowNaN: def.allowNaN }));
  const fitTransform = ((x: MatrixLike) => {
    const m = toDense(x, 'x', `${def.fn}.fitTransform`, { allowNaN: def.allowNaN });
    const f = fitDense(m);
    return denseLike(f.transformDense(m), x);
  }) as MatrixTransform;
  return Object.freeze({
    kind: def.kind,
    params,
    fit,
    fitDense,
    fitTransform,
    withParams: (patch: Partial<P>) => make({ ...params, ...patch }),
    transform: notFitted(def.kind, 'transform'),
  });
}

/** Restores a fitted transformer: checks the envelope, re-validates params, reads the state. */
export function restoreFitted<P, S, F extends FittedMatrixTransformer<P, S>>(
  json: unknown,
  def: MatrixDef<P, S>,
  fromJsonFn: string,
  make: (p: Partial<P>) => MatrixTransformerSpec<P, F>,
  readState: (state: Record<string, unknown>, nIn: number) => S,
): F {
  const env = checkEnvelope(json, def.kind, [def.version], fromJsonFn);
  let spec: MatrixTransformerSpec<P, F>;
  try {
    spec = make(env.params as unknown as Partial<P>);
  } catch (e) {
    throw new SerializationError({ fn: fromJsonFn, arg: 'json.params', expected: `valid ${def.fn} parameters`, got: describeValue(env.params) }, { cause: e });
  }
  const st = env.state;
  if (typeof st !== 'object' || st === null || Array.isArray(st)) {
    throw new SerializationError({ fn: fromJsonFn, arg: 'json.state', expected: 'an object', got: describeValue(st) });
  }
  const s = st as Record<string, unknown>;
  const nIn = s.nFeaturesIn;
  if (typeof nIn !== 'number' || !Number.isInteger(nIn) || nIn < 1) {
    throw new SerializationError({ fn: fromJsonFn, arg: 'json.state.nFeaturesIn', expected: 'an integer >= 1', got: describeValue(nIn) });
  }
  return makeFitted<P, S, F>(def, spec.params, Object.freeze(readState(s, nIn)), nIn);
}

/** Applies `f(value, column)` to every entry, returning a new matrix. */
export function mapColumns(x: DenseMatrix, f: (v: number, j: number) => number): DenseMatrix {
  const out = new Float64Array(x.data.length);
  const c = x.cols;
  for (let k = 0; k < out.length; k++) out[k] = f(x.data[k] as number, k % c);
  return { rows: x.rows, cols: c, data: out };
}
