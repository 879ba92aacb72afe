/**
 * GAN quality benchmark (issue #12): synthetic returns and synthetic tabular rows, measured
 * against the goals. Not part of the unit tests (training takes minutes).
 *
 * 1. Synthetic returns on data/nyse_composite_daily.csv (the reference series) and, unchanged,
 *    on the DAX column of data/eu_stock_markets.csv (a check that the recipe is not tuned to one
 *    file), with `fitReturnsGan` defaults and each of its two heavy-tail marginals: 'empirical'
 *    (normal scores of ranks / empirical quantiles) and 'lambertW' (`fitLambertW` →
 *    `lambertWGaussianize`, `lambertWHeavyTail` after sampling); windows of 20 days, dense
 *    generator trained by `trainGan` with moment/ACF terms, rank-calibrated samples. Compared with `ganQualityReport` on as many synthetic
 *    windows as there are real non-overlapping windows, for several sampling seeds (median
 *    reported). Goals: excess kurtosis within 25% of the real one, mean ACF(|r|) lags 1–5 within
 *    0.03, |ACF(r) lag 1 − real| ≤ 0.03, KS p ≥ 0.05.
 * 2. `tabularGan` (quantile normalisation, default loss terms) on data/german_credit.csv, the
 *    text columns declared `categorical` (one-hot blocks, softmax draws); the generator's own
 *    samples and `calibrate: true` samples: every numeric column's KS ≤ 0.05, every category
 *    frequency within 2 points. FINML_BENCH_GAN_SEED sets the training seed (default 5).
 *
 * Run: `npm run bench:gan` (JSON on stdout and in out/bench-gan.json); backend wasm (fallback cpu).
 * FINML_BENCH_GAN=returns|tabular runs one part.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentBackend, useBackend } from '../../src/core/backend';
import { tensorCount } from '../../src/core/memory';
import { fitReturnsGan } from '../../src/gan/ganReturns';
import { ganQualityReport, ksTwoSample } from '../../src/gan/ganQualityReport';
import { tabularGan, tabularGanFromJSON } from '../../src/gan/tabularGan';
import { runIfMain } from './_standalone';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function csv(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(join(ROOT, 'data', file), 'utf8').trim().split('\n');
  const split = (l: string): string[] => l.split(',').map((c) => c.replace(/^"|"$/g, ''));
  return { header: split(lines[0] as string), rows: lines.slice(1).map(split) };
}

function logReturnsOf(prices: number[]): number[] {
  return prices.slice(1).map((p, i) => Math.log(p / (prices[i] as number)));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[s.length >> 1] as number) : 0.5 * ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number));
};
const avg = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function returnsPart(name: string, returns: number[], marginal: 'empirical' | 'lambertW'): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const recipe = await fitReturnsGan(returns, { marginal, seed: 11 });
  const trainSeconds = (performance.now() - t0) / 1000;
  const seeds = [1, 2, 3, 4, 5];
  const runs = seeds.map((seed) => {
    const synthetic = recipe.sample(recipe.realWindows.length, seed);
    const q = ganQualityReport(recipe.realWindows, synthetic, { maxLag: 5, seed });
    return {
      seed,
      excessKurtosis: q.synthetic.excessKurtosis,
      acfAbsMean: avg(q.synthetic.acfAbs),
      acfLag1: q.synthetic.acf[0] as number,
      ksPValue: q.ks.pValue,
      ksStatistic: q.ks.statistic,
      std: q.synthetic.std,
      discriminativeAccuracy: q.discriminative?.accuracy ?? null,
      tstrAbsMse: q.tstr?.absReturns.trainOnSynthetic ?? null,
      trtrAbsMse: q.tstr?.absReturns.trainOnReal ?? null,
      real: { excessKurtosis: q.real.excessKurtosis, acfAbsMean: avg(q.real.acfAbs), acfLag1: q.real.acf[0] as number, std: q.real.std },
    };
  });
  recipe.dispose();
  const real = runs[0]?.real ?? { excessKurtosis: 0, acfAbsMean: 0, acfLag1: 0, std: 0 };
  const med = {
    excessKurtosis: median(runs.map((r) => r.excessKurtosis)),
    acfAbsMean: median(runs.map((r) => r.acfAbsMean)),
    acfLag1: median(runs.map((r) => r.acfLag1)),
    ksPValue: median(runs.map((r) => r.ksPValue)),
    discriminativeAccuracy: median(runs.map((r) => r.discriminativeAccuracy ?? Number.NaN)),
  };
  const goals = {
    kurtosisWithin25pct: Math.abs(med.excessKurtosis - real.excessKurtosis) <= 0.25 * Math.abs(real.excessKurtosis),
    acfAbsWithin003: Math.abs(med.acfAbsMean - real.acfAbsMean) <= 0.03,
    acfLag1Within003: Math.abs(med.acfLag1 - real.acfLag1) <= 0.03,
    ksPAtLeast005: med.ksPValue >= 0.05,
  };
  const perSeedGoalsMet = runs.map(
    (r) =>
      Math.abs(r.excessKurtosis - real.excessKurtosis) <= 0.25 * Math.abs(real.excessKurtosis) &&
      Math.abs(r.acfAbsMean - real.acfAbsMean) <= 0.03 &&
      Math.abs(r.acfLag1 - real.acfLag1) <= 0.03 &&
      r.ksPValue >= 0.05,
  );
  return { series: name, marginal, nReturns: returns.length, windows: recipe.realWindows.length, seqLength: recipe.seqLength, lambertW: recipe.lambertW, epochs: recipe.history.dLoss.length, trainSeconds, real, medianOverSamplingSeeds: med, goals, perSeedGoalsMet, runs };
}

function tabularPart(): Promise<Record<string, unknown>> {
  const { header, rows } = csv('german_credit.csv');
  const numericCols = header.map((_, j) => rows.every((r) => r[j] !== undefined && r[j] !== '' && Number.isFinite(Number(r[j]))));
  const codes: Map<string, number>[] = header.map(() => new Map());
  const x = rows.map((r) =>
    r.map((v, j) => {
      if (numericCols[j] === true) return Number(v);
      const m = codes[j] as Map<string, number>;
      if (!m.has(v)) m.set(v, m.size);
      return m.get(v) as number;
    }),
  );
  return (async () => {
    const t0 = performance.now();
    const seed = Number(process.env.FINML_BENCH_GAN_SEED ?? 5);
    const categorical = header.map((_, j) => j).filter((j) => numericCols[j] !== true);
    const fitted = await tabularGan({ epochs: 200, batchSize: 128, generatorHidden: [128, 128], discriminatorHidden: [128, 64], latentDim: 16, categorical, seed }).fit(x);
    const trainSeconds = (performance.now() - t0) / 1000;
    const json = fitted.toJSON();
    const calibrated = tabularGanFromJSON({ ...json, params: { ...(json.params as object), calibrate: true } });
    const raw = measure(fitted.sample(x.length * 5, 1));
    const cal = measure(calibrated.sample(x.length * 5, 1));
    fitted.dispose();
    calibrated.dispose();
    return { seed, trainSeconds, nRows: x.length, nSynthetic: x.length * 5, generatorSamples: raw, calibratedSamples: cal };
  })();

  function measure(synth: number[][]): Record<string, unknown> {
    const numeric: Record<string, number> = {};
    const categorical: Record<string, number> = {};
    header.forEach((h, j) => {
      const a = x.map((r) => r[j] as number);
      const b = synth.map((r) => r[j] as number);
      if (numericCols[j] === true) {
        numeric[h] = ksTwoSample(a, b);
      } else {
        let worst = 0;
        for (const code of (codes[j] as Map<string, number>).values()) {
          const fa = a.filter((v) => v === code).length / a.length;
          const fb = b.filter((v) => v === code).length / b.length;
          worst = Math.max(worst, Math.abs(fa - fb) * 100);
        }
        categorical[h] = worst;
      }
    });
    const maxKs = Math.max(...Object.values(numeric));
    const maxFreqGapPoints = Math.max(...Object.values(categorical));
    return { maxKs, maxFreqGapPoints, goals: { ksAtMost005: maxKs <= 0.05, frequenciesWithin2Points: maxFreqGapPoints <= 2 }, numericKs: numeric, categoricalMaxFrequencyGapPoints: categorical };
  }
}

/** The benchmark module entry point. */
export async function run(): Promise<Record<string, unknown>> {
  try {
    await useBackend('wasm');
  } catch {
    await useBackend('cpu');
  }
  const tensorsBefore = tensorCount();
  const part = process.env.FINML_BENCH_GAN ?? 'all';
  const out: Record<string, unknown> = { backend: currentBackend() };
  if (part === 'all' || part === 'returns') {
    const nyse = csv('nyse_composite_daily.csv');
    const eu = csv('eu_stock_markets.csv');
    const dax = eu.header.indexOf('DAX');
    const series: [string, string, number[]][] = [
      ['nyse', 'nyse_composite_daily close', logReturnsOf(nyse.rows.map((r) => Number(r[1])))],
      ['dax', 'eu_stock_markets DAX', logReturnsOf(eu.rows.map((r) => Number(r[dax])))],
    ];
    for (const marginal of ['empirical', 'lambertW'] as const) {
      for (const [key, name, returns] of series) out[`${key}_${marginal}`] = await returnsPart(name, returns, marginal);
    }
  }
  if (part === 'all' || part === 'tabular') out.germanCredit = await tabularPart();
  out.tensorsLeaked = tensorCount() - tensorsBefore;
  return out;
}

runIfMain(import.meta.url, async () => {
  const r = await run();
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  writeFileSync(join(ROOT, 'out', 'bench-gan.json'), `${JSON.stringify(r, null, 2)}\n`);
  return r;
});
