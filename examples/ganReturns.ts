/**
 * Synthetic DAX return paths from a sequence GAN, checked against the stylised facts.
 *
 * What it shows:
 *  1. DAX daily log returns from data/eu_stock_markets.csv, standardized and cut into 20-day windows;
 *  2. `buildGan({ kind: 'sequence' })`: a dense generator from 8-dimensional Gaussian noise to a
 *     20-day path, and a discriminator that looks at whole paths (so it can penalise paths without
 *     volatility clustering); `trainGan` with seeded batches and noise, label smoothing, and two
 *     extra generator-loss terms that match the stylised facts batch by batch: `momentWeight`
 *     (mean, std and log-kurtosis: fat tails) and `acfWeight` (autocorrelations of r and |r| at
 *     lags 1..5: no linear predictability, volatility clustering);
 *  3. `sampleGan`: synthetic paths, mapped back to return units;
 *  4. `ganQualityReport`: mean, standard deviation, skewness, excess kurtosis, autocorrelations of
 *     r, |r| and r² (volatility clustering), and a two-sample Kolmogorov-Smirnov test, real vs
 *     synthetic — next to an i.i.d. Gaussian baseline with the real mean and std, which by
 *     construction has no fat tails and no volatility clustering.
 *
 * Run: `npm run example:gan` (FINML_EXAMPLE_QUICK=1 trains fewer epochs).
 */
import {
  buildGan,
  createRng,
  disposeGan,
  ganQualityReport,
  getColumn,
  logReturns,
  sampleGan,
  trainGan,
  type GanQualityReport,
} from 'finml';
import { readCsv } from 'finml/node';
import { join } from 'node:path';
import { QUICK, ROOT, banner, finish, runMain, startBackend } from './_shared';

const SEQ = 20;
const SEED = 11;

async function main(): Promise<void> {
  const t0 = Date.now();
  const tensorsAtStart = await startBackend();
  console.log(banner('GAN returns example'));

  const table = await readCsv(join(ROOT, 'data', 'eu_stock_markets.csv'));
  const dax = getColumn(table, 'DAX');
  if (dax.kind !== 'numeric') throw new Error('the DAX column should be numeric');
  const r = logReturns(dax.values);
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
  const z = r.map((v) => (v - mean) / std);

  // Training windows overlap (stride 5) to give the GAN more examples; the real sample used for the
  // quality report is the non-overlapping windows (each return counted once).
  const windows = (stride: number): number[][] => {
    const out: number[][] = [];
    for (let s = 0; s + SEQ <= z.length; s += stride) out.push(z.slice(s, s + SEQ));
    return out;
  };
  const train = windows(5);
  const real = windows(SEQ).map((w) => w.map((v) => v * std + mean));
  console.log(`data: ${r.length} DAX log returns (mean ${mean.toExponential(2)}, std ${std.toFixed(4)}); ${train.length} training windows of ${SEQ} days`);

  const gan = buildGan({
    kind: 'sequence',
    seqLength: SEQ,
    features: 1,
    latentDim: 8,
    generator: { hidden: [64, 64], activation: 'relu' },
    discriminator: { type: 'dense', hidden: [64, 32], activation: 'leakyRelu', dropout: 0.1 },
    seed: SEED,
  });
  let report: GanQualityReport;
  try {
    const epochs = QUICK ? 30 : 300;
    const history = await trainGan(gan, train, {
      epochs,
      batchSize: 64,
      learningRate: 5e-4,
      labelSmoothing: 0.1,
      momentWeight: 1,
      acfWeight: 10,
      acfLags: 5,
      seed: SEED,
      onEpochEnd: (epoch, logs) => {
        if ((epoch + 1) % Math.max(1, Math.floor(epochs / 5)) === 0) {
          console.log(`  epoch ${String(epoch + 1).padStart(3)}: discriminator loss ${logs.dLoss.toFixed(3)}, generator loss ${logs.gLoss.toFixed(3)}`);
        }
      },
    });
    console.log(`trained ${history.dLoss.length} epochs`);

    const nSynthetic = 400;
    const sampled = sampleGan(gan, nSynthetic, SEED + 1);
    let flat: Float32Array;
    try {
      flat = sampled.dataSync() as Float32Array;
    } finally {
      sampled.dispose();
    }
    const synthetic = Array.from({ length: nSynthetic }, (_, i) => Array.from(flat.subarray(i * SEQ, (i + 1) * SEQ), (v) => v * std + mean));
    report = ganQualityReport(real, synthetic, { maxLag: 5 });
  } finally {
    disposeGan(gan);
  }

  console.log('\n== GAN quality report: real DAX windows vs GAN samples ==');
  console.log(report.summary);

  // Baseline: i.i.d. Gaussian returns with the real mean and std.
  const rng = createRng(SEED + 2);
  const gaussian = Array.from({ length: 400 }, () => Array.from({ length: SEQ }, () => mean + std * rng.normal()));
  const base = ganQualityReport(real, gaussian, { maxLag: 5 });
  const avg = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  console.log('\n== GAN vs an i.i.d. Gaussian baseline (same mean and std) ==');
  console.log(`${'statistic'.padEnd(26)}${'real'.padStart(10)}${'GAN'.padStart(10)}${'Gaussian'.padStart(10)}`);
  const line = (name: string, a: number, b: number, c: number): void =>
    console.log(`${name.padEnd(26)}${a.toFixed(4).padStart(10)}${b.toFixed(4).padStart(10)}${c.toFixed(4).padStart(10)}`);
  line('std', report.real.std, report.synthetic.std, base.synthetic.std);
  line('excess kurtosis', report.real.excessKurtosis, report.synthetic.excessKurtosis, base.synthetic.excessKurtosis);
  line('acf(|r|) lags 1..5 mean', avg(report.real.acfAbs), avg(report.synthetic.acfAbs), avg(base.synthetic.acfAbs));
  line('KS distance to real', 0, report.ks.statistic, base.ks.statistic);
  console.log(`KS p-value: GAN ${report.ks.pValue.toFixed(4)}, Gaussian ${base.ks.pValue.toFixed(4)} (small p = distributions differ)`);

  finish(tensorsAtStart, t0);
}

runMain(main);
