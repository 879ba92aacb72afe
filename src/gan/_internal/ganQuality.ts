/**
 * Post-hoc checks of synthetic return windows: a discriminative score (a logistic regression on
 * window features trained to tell real from synthetic, accuracy on a held-out split) and
 * train-on-synthetic / test-on-real forecast errors of a least-squares AR model.
 * @internal
 */
import { createRng } from '../../core/random';
import { solveSpd } from '../../core/_internal/linalg';

/** Summary features of one window (order-free where possible, so the classifier sees shapes, not positions). */
export function windowFeatures(w: Float64Array, maxLag: number): number[] {
  const n = w.length;
  let s = 0;
  for (const v of w) s += v;
  const mean = s / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let absSum = 0;
  for (const v of w) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
    absSum += Math.abs(v);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const sd = Math.sqrt(m2);
  const sorted = Float64Array.from(w).sort();
  const q = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))] as number;
  const absMean = absSum / n;
  const acf = (abs: boolean, k: number): number => {
    const c = abs ? absMean : mean;
    let num = 0;
    let den = 0;
    for (let t = 0; t < n; t++) {
      const a = (abs ? Math.abs(w[t] as number) : (w[t] as number)) - c;
      den += a * a;
      if (t + k < n) num += a * ((abs ? Math.abs(w[t + k] as number) : (w[t + k] as number)) - c);
    }
    return den > 0 ? num / den : 0;
  };
  const f = [
    mean,
    sd,
    Math.log(sd + 1e-12),
    m2 > 0 ? m3 / m2 ** 1.5 : 0,
    m2 > 0 ? m4 / (m2 * m2) : 0,
    absMean,
    sorted[0] as number,
    sorted[n - 1] as number,
    q(0.1),
    q(0.25),
    q(0.5),
    q(0.75),
    q(0.9),
    sd > 0 ? (Math.max(Math.abs(sorted[0] as number), Math.abs(sorted[n - 1] as number)) - Math.abs(mean)) / sd : 0,
  ];
  for (let k = 1; k <= maxLag; k++) f.push(acf(false, k), acf(true, k));
  return f;
}

/** Column means and standard deviations (1 for constant columns). */
function scaler(rows: readonly number[][]): { mean: Float64Array; sd: Float64Array } {
  const p = (rows[0] as number[]).length;
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (const r of rows) for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) + (r[j] as number) / rows.length;
  for (const r of rows) for (let j = 0; j < p; j++) sd[j] = (sd[j] as number) + ((r[j] as number) - (mean[j] as number)) ** 2 / rows.length;
  for (let j = 0; j < p; j++) sd[j] = (sd[j] as number) > 1e-24 ? Math.sqrt(sd[j] as number) : 1;
  return { mean, sd };
}

/**
 * L2-penalised logistic regression by Newton's method (IRLS) on standardized features; returns
 * the weights (intercept last, unpenalised).
 */
export function fitLogistic(x: readonly number[][], y: readonly number[], l2: number): { predict: (row: readonly number[]) => number } {
  const { mean, sd } = scaler(x);
  const p = mean.length;
  const d = p + 1;
  const z = x.map((r) => {
    const o = new Float64Array(d);
    for (let j = 0; j < p; j++) o[j] = ((r[j] as number) - (mean[j] as number)) / (sd[j] as number);
    o[p] = 1;
    return o;
  });
  let w = new Float64Array(d);
  for (let it = 0; it < 50; it++) {
    const h = new Float64Array(d * d);
    const g = new Float64Array(d);
    for (let i = 0; i < z.length; i++) {
      const zi = z[i] as Float64Array;
      let eta = 0;
      for (let j = 0; j < d; j++) eta += (w[j] as number) * (zi[j] as number);
      const pr = 1 / (1 + Math.exp(-eta));
      const r = pr - (y[i] as number);
      const wt = Math.max(pr * (1 - pr), 1e-10);
      for (let a = 0; a < d; a++) {
        g[a] = (g[a] as number) + r * (zi[a] as number);
        const za = wt * (zi[a] as number);
        for (let b = 0; b <= a; b++) h[a * d + b] = (h[a * d + b] as number) + za * (zi[b] as number);
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) h[b * d + a] = h[a * d + b] as number;
    for (let j = 0; j < p; j++) {
      h[j * d + j] = (h[j * d + j] as number) + l2;
      g[j] = (g[j] as number) + l2 * (w[j] as number);
    }
    const step = solveSpd(h, g, d).x;
    let change = 0;
    const next = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      next[j] = (w[j] as number) - (step[j] as number);
      change = Math.max(change, Math.abs(step[j] as number));
    }
    w = next;
    if (change < 1e-8) break;
  }
  const wf = w;
  return {
    predict(row: readonly number[]): number {
      let eta = wf[p] as number;
      for (let j = 0; j < p; j++) eta += (wf[j] as number) * (((row[j] as number) - (mean[j] as number)) / (sd[j] as number));
      return 1 / (1 + Math.exp(-eta));
    },
  };
}

/** Result of {@link discriminativeAccuracy}. */
export interface DiscriminativeResult {
  readonly accuracy: number;
  readonly nTrain: number;
  readonly nTest: number;
}

/**
 * Balanced real/synthetic windows (the larger set subsampled), split at random into train and
 * test (seeded), logistic regression on window features; accuracy on the test windows.
 */
export function discriminativeAccuracy(real: readonly Float64Array[], synthetic: readonly Float64Array[], maxLag: number, testFraction: number, seed: number): DiscriminativeResult {
  const rng = createRng(seed);
  const m = Math.min(real.length, synthetic.length);
  const pick = (xs: readonly Float64Array[]): Float64Array[] => Array.from(rng.permutation(xs.length).slice(0, m), (i) => xs[i] as Float64Array);
  const r = pick(real);
  const s = pick(synthetic);
  const nTest = Math.max(1, Math.round(m * testFraction));
  const nTrain = m - nTest;
  const trainX: number[][] = [];
  const trainY: number[] = [];
  for (let i = 0; i < nTrain; i++) {
    trainX.push(windowFeatures(r[i] as Float64Array, maxLag), windowFeatures(s[i] as Float64Array, maxLag));
    trainY.push(1, 0);
  }
  const model = fitLogistic(trainX, trainY, 1);
  let correct = 0;
  for (let i = nTrain; i < m; i++) {
    if (model.predict(windowFeatures(r[i] as Float64Array, maxLag)) >= 0.5) correct += 1;
    if (model.predict(windowFeatures(s[i] as Float64Array, maxLag)) < 0.5) correct += 1;
  }
  return { accuracy: correct / (2 * nTest), nTrain: 2 * nTrain, nTest: 2 * nTest };
}

/** AR(p) with intercept by least squares on all (lags → next value) pairs inside the windows. */
export function fitAr(windows: readonly Float64Array[], p: number, abs: boolean): Float64Array {
  const d = p + 1;
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d);
  const row = new Float64Array(d);
  for (const w0 of windows) {
    const w = abs ? w0.map(Math.abs) : w0;
    for (let t = p; t < w.length; t++) {
      row[0] = 1;
      for (let k = 1; k <= p; k++) row[k] = w[t - k] as number;
      const y = w[t] as number;
      for (let a = 0; a < d; a++) {
        xty[a] = (xty[a] as number) + (row[a] as number) * y;
        for (let b = 0; b < d; b++) xtx[a * d + b] = (xtx[a * d + b] as number) + (row[a] as number) * (row[b] as number);
      }
    }
  }
  return solveSpd(xtx, xty, d).x;
}

/** Mean squared one-step error of AR coefficients on the windows. */
export function arMse(coef: Float64Array, windows: readonly Float64Array[], abs: boolean): number {
  const p = coef.length - 1;
  let sse = 0;
  let count = 0;
  for (const w0 of windows) {
    const w = abs ? w0.map(Math.abs) : w0;
    for (let t = p; t < w.length; t++) {
      let f = coef[0] as number;
      for (let k = 1; k <= p; k++) f += (coef[k] as number) * (w[t - k] as number);
      sse += ((w[t] as number) - f) ** 2;
      count += 1;
    }
  }
  return sse / count;
}
