/**
 * Autoregression AR(p) with an intercept, fitted by least squares (Householder QR), with the
 * order chosen by AIC: the classical baseline every forecaster is compared with.
 *
 * @module
 */
import { DataError, ShapeError, describeValue } from '../core/errors';
import { toVector, type VectorLike } from '../core/matrix';
import { resolveOptions, rules } from '../core/options';
import { arAic, arForecastSteps, fitArOrder } from './_internal/autoregression';

/**
 * Options of {@link fitAutoregression}.
 *
 * @category Presets
 */
export interface AutoregressionOptions {
  /** Largest order tried by the AIC search. @defaultValue 10 */
  readonly maxLag?: number;
  /** A fixed order instead of the AIC search (`null`: search 0..maxLag). @defaultValue null */
  readonly order?: number | null;
}

/**
 * A fitted AR(p): `y_t = c + φ₁ y_{t−1} + … + φ_p y_{t−p} + ε_t`.
 *
 * @category Presets
 */
export interface AutoregressionFit {
  /** The order p (0: the mean model). */
  readonly order: number;
  /** The intercept c. */
  readonly intercept: number;
  /** φ₁ … φ_p. */
  readonly coefficients: readonly number[];
  /** Residual variance SSR / nObs. */
  readonly sigma2: number;
  /** Observations of the final fit (series length − p). */
  readonly nObs: number;
  /**
   * AIC (`−2 llf + 2 (p + 2)`, Gaussian likelihood) of every order 0..maxLag, all fitted on the
   * same sample (the first maxLag values as presample), as statsmodels' `ar_select_order`; empty
   * when the order was given.
   */
  readonly aic: readonly number[];
  /**
   * Iterated forecasts 1..steps ahead from the end of `history` (at least `order` values, oldest first).
   * @throws {DataError} fewer than `order` values or non-finite values.
   */
  forecast(history: VectorLike, steps: number): number[];
}

/**
 * Fits an autoregression with an intercept by ordinary least squares. Without a fixed `order`,
 * every order 0..maxLag is fitted on the same observations (the first maxLag values are the
 * presample) and the one with the smallest AIC wins; the winner is then refitted on the whole
 * series (its first p values as presample). Matches statsmodels' `ar_select_order(y, maxLag,
 * ic='aic', trend='c')` followed by `AutoReg(y, p, trend='c').fit()`.
 *
 * @param series - The series, oldest first (e.g. log returns or differences of a rate).
 * @param options - {@link AutoregressionOptions}.
 * @returns the fitted AR with its AIC table and an iterated `forecast`.
 * @throws {DataError} NaN/Infinity, or fewer than `2·maxLag + 2` values. @throws {InvalidOptionError} invalid options.
 * @example
 * ```ts
 * import { fitAutoregression } from 'finml';
 * // y_t = 1 + 0.5 y_{t-1}, exactly: AR(1) recovers it
 * const y = [4];
 * for (let t = 1; t < 40; t++) y.push(1 + 0.5 * (y[t - 1] as number) + (t % 2 === 0 ? 0.01 : -0.01));
 * const ar = fitAutoregression(y, { order: 1 });
 * Math.round(ar.coefficients[0]! * 100) / 100; //=> 0.5
 * ar.forecast(y, 2).length;                   //=> 2
 * ```
 * @category Presets
 */
export function fitAutoregression(series: VectorLike, options?: AutoregressionOptions): AutoregressionFit {
  const fn = 'fitAutoregression';
  const o = resolveOptions(fn, options, { maxLag: 10, order: null } as Required<AutoregressionOptions>, {
    maxLag: rules.int({ min: 0 }),
    order: rules.nullable(rules.int({ min: 0 })),
  });
  const y = toVector(series, 'series', fn);
  const maxLag = o.order ?? o.maxLag;
  if (y.length < 2 * maxLag + 2) {
    throw new DataError({ fn, arg: 'series', expected: `at least ${2 * maxLag + 2} values for order ${o.order === null ? 'up to ' : ''}${maxLag}`, got: `${y.length} values` });
  }
  const aic: number[] = [];
  let order = o.order ?? 0;
  if (o.order === null) {
    let best = Infinity;
    for (let p = 0; p <= maxLag; p++) {
      const f = fitArOrder(y, p, maxLag);
      const v = arAic(f.ssr, f.m, p);
      aic.push(v);
      if (v < best) {
        best = v;
        order = p;
      }
    }
  }
  const f = fitArOrder(y, order, order);
  return makeFit(order, f.beta[0] as number, Array.from(f.beta.subarray(1)), f.ssr / f.m, f.m, aic);
}

function makeFit(order: number, intercept: number, coefficients: readonly number[], sigma2: number, nObs: number, aic: readonly number[]): AutoregressionFit {
  const coef = Object.freeze([...coefficients]);
  return Object.freeze({
    order,
    intercept,
    coefficients: coef,
    sigma2,
    nObs,
    aic: Object.freeze([...aic]),
    forecast(history: VectorLike, steps: number): number[] {
      const fn = 'AutoregressionFit.forecast';
      if (!Number.isInteger(steps) || steps < 1) throw new DataError({ fn, arg: 'steps', expected: 'an integer >= 1', got: describeValue(steps) });
      const h = toVector(history, 'history', fn, { minLength: Math.max(order, 1) });
      if (h.length < order) throw new ShapeError({ fn, arg: 'history', expected: `at least ${order} values`, got: `${h.length}` });
      return arForecastSteps(intercept, coef, h, steps);
    },
  });
}
