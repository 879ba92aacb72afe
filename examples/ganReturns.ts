/**
 * Synthetic NYSE composite return paths from a GAN, checked against the stylised facts.
 *
 * What it shows:
 *  1. Daily log returns of the NYSE composite (data/nyse_composite_daily.csv, 1990–2005): fat tails
 *     and volatility clustering;
 *  2. `fitLambertW`: how heavy the tails are (Lambert W × Gaussian delta; 0 = Gaussian);
 *  3. `fitReturnsGan`: the recipe in one call — a heavy-tail transform of the returns to normal
 *     scores, 20-day windows, a generator and a discriminator trained by `trainGan` with moment
 *     and autocorrelation terms (r and |r|, lags 1..5), seeded; `sample`: synthetic windows,
 *     rank-calibrated and mapped back to return units (`marginal: 'lambertW'` would use the
 *     Lambert W transform instead of the empirical one);
 *  4. `ganQualityReport`: moments, excess kurtosis, autocorrelations of r, |r| and r², the
 *     two-sample KS test, the discriminative score (held-out accuracy of a classifier telling real
 *     from synthetic windows, 0.5 = indistinguishable) and train-on-synthetic / test-on-real AR
 *     forecast errors — next to an i.i.d. Gaussian baseline with the real mean and std.
 *
 * Run: `npm run example:gan` (about 1–2 minutes on wasm on 2 free cores; FINML_EXAMPLE_QUICK=1 trains
 * 5 epochs). Goals of issue #12 are printed with the figures.
 */
import { createRng, fitLambertW, fitReturnsGan, ganQualityReport, getColumn, logReturns } from 'finml';
import { readCsv } from 'finml/node';
import { join } from 'node:path';
import { QUICK, ROOT, banner, finish, runMain, startBackend } from './_shared';

const SEED = 11;

async function main(): Promise<void> {
  const t0 = Date.now();
  const tensorsAtStart = await startBackend();
  console.log(banner('GAN returns example'));

  const table = await readCsv(join(ROOT, 'data', 'nyse_composite_daily.csv'));
  const close = getColumn(table, 'close');
  if (close.kind !== 'numeric') throw new Error('the close column should be numeric');
  const r = logReturns(close.values);
  console.log(`data: ${r.length} NYSE composite daily log returns`);
  const lw = fitLambertW(r);
  console.log(`Lambert W x Gaussian fit: mu ${lw.mu.toExponential(2)}, sigma ${lw.sigma.toFixed(5)}, delta ${lw.delta.toFixed(4)} (0 = Gaussian tails)`);

  const epochs = QUICK ? 5 : 50;
  const tTrain = Date.now();
  const gan = await fitReturnsGan(r, {
    epochs,
    seed: SEED,
    onEpochEnd: (epoch, logs) => {
      if ((epoch + 1) % Math.max(1, Math.floor(epochs / 5)) === 0) {
        const s = (Date.now() - tTrain) / 1000;
        const eta = (s / (epoch + 1)) * (epochs - epoch - 1);
        console.log(`  epoch ${String(epoch + 1).padStart(3)}/${epochs}: discriminator loss ${logs.dLoss.toFixed(3)}, generator loss ${logs.gLoss.toFixed(3)} (${s.toFixed(0)} s, ETA ${eta.toFixed(0)} s)`);
      }
    },
  });
  console.log(`trained ${gan.history.dLoss.length} epochs in ${((Date.now() - tTrain) / 1000).toFixed(1)} s`);

  const real = gan.realWindows;
  const synthetic = gan.sample(real.length, SEED + 1);
  gan.dispose();
  const report = ganQualityReport(real, synthetic, { maxLag: 5, seed: SEED });
  console.log(`\n== GAN quality report: ${real.length} real 20-day windows vs as many GAN windows ==`);
  console.log(report.summary);

  const rng = createRng(SEED + 2);
  const gaussian = real.map((w) => w.map(() => report.real.mean + report.real.std * rng.normal()));
  const base = ganQualityReport(real, gaussian, { maxLag: 5, seed: SEED });
  const avg = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  console.log('\n== GAN vs an i.i.d. Gaussian baseline (same mean and std) ==');
  console.log(`${'statistic'.padEnd(30)}${'real'.padStart(10)}${'GAN'.padStart(10)}${'Gaussian'.padStart(10)}`);
  const line = (name: string, a: number, b: number, c: number): void =>
    console.log(`${name.padEnd(30)}${a.toFixed(4).padStart(10)}${b.toFixed(4).padStart(10)}${c.toFixed(4).padStart(10)}`);
  line('excess kurtosis', report.real.excessKurtosis, report.synthetic.excessKurtosis, base.synthetic.excessKurtosis);
  line('acf(|r|) lags 1..5 mean', avg(report.real.acfAbs), avg(report.synthetic.acfAbs), avg(base.synthetic.acfAbs));
  line('acf(r) lag 1', report.real.acf[0] ?? 0, report.synthetic.acf[0] ?? 0, base.synthetic.acf[0] ?? 0);
  line('KS p-value', 1, report.ks.pValue, base.ks.pValue);
  line('discriminative accuracy', 0.5, report.discriminative?.accuracy ?? Number.NaN, base.discriminative?.accuracy ?? Number.NaN);
  line('TSTR |r| AR MSE / TRTR', 1, (report.tstr?.absReturns.trainOnSynthetic ?? 0) / (report.tstr?.absReturns.trainOnReal ?? 1), (base.tstr?.absReturns.trainOnSynthetic ?? 0) / (base.tstr?.absReturns.trainOnReal ?? 1));

  const k = report.real.excessKurtosis;
  const goals: [string, boolean][] = [
    ['excess kurtosis within 25% of real', Math.abs(report.synthetic.excessKurtosis - k) <= 0.25 * Math.abs(k)],
    ['mean acf(|r|) lags 1-5 within 0.03', Math.abs(avg(report.synthetic.acfAbs) - avg(report.real.acfAbs)) <= 0.03],
    ['|acf(r) lag 1 - real| <= 0.03', report.gaps.acfLag1 <= 0.03],
    ['KS p-value >= 0.05', report.ks.pValue >= 0.05],
  ];
  console.log('\n== goals (issue #12) ==');
  for (const [name, ok] of goals) console.log(`${ok ? 'met    ' : 'NOT met'}  ${name}`);

  finish(tensorsAtStart, t0);
}

runMain(main);
