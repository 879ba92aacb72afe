/**
 * A second, faster entry into a {@link Predictor} for float32 row-major rows, kept beside the
 * predictor (not part of its public type). Predictors built by finml from tfjs models register
 * one: explainers that build many rows themselves (KernelSHAP's masked rows) then write them as
 * float32 directly, which is what the model computes in anyway, and skip a float64 copy and its
 * conversion per row. The entry must return exactly the values the predictor returns for the same
 * rows given as float64 (the rows are float32 values, so the conversion is exact).
 * @internal
 */
import type { Predictor } from '../predictor';

/** Scores `rows` float32 rows of `cols` values (row-major `data`): one value per row. */
export type Float32RowsPredictor = (data: Float32Array, rows: number, cols: number) => ArrayLike<number> | Promise<ArrayLike<number>>;

const ENTRIES = new WeakMap<Predictor, Float32RowsPredictor>();

/** Registers `entry` as the float32 entry of `predictor`; returns `predictor`. */
export function withFloat32Rows<P extends Predictor>(predictor: P, entry: Float32RowsPredictor): P {
  ENTRIES.set(predictor, entry);
  return predictor;
}

/** The float32 entry of `predictor`, if it has one. */
export function float32RowsOf(predictor: Predictor): Float32RowsPredictor | undefined {
  return ENTRIES.get(predictor);
}

/**
 * A predictor's outputs on every masked row of one explained row, without the masked rows being
 * built: for coalition k and background row b, the row is `x` where `masks[k]` is 1 and `bg[b]`
 * elsewhere. Returns `K * B` values, coalition-major (`k * B + b`). Registered by predictors whose
 * model can compute these from the first layer's linearity (dense networks), see
 * `coalitionOutputsFor` in models/_internal/batchedPredict.ts.
 */
export type CoalitionOutputs = (x: Float32Array, bg: Float32Array, B: number, masks: Float32Array, K: number) => Promise<Float32Array>;

const COALITIONS = new WeakMap<Predictor, CoalitionOutputs>();

/** Registers `outputs` as the coalition entry of `predictor`; returns `predictor`. */
export function withCoalitionOutputs<P extends Predictor>(predictor: P, outputs: CoalitionOutputs | null): P {
  if (outputs !== null) COALITIONS.set(predictor, outputs);
  return predictor;
}

/** The coalition entry of `predictor`, if it has one. */
export function coalitionOutputsOf(predictor: Predictor): CoalitionOutputs | undefined {
  return COALITIONS.get(predictor);
}
