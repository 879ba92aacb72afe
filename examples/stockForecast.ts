/**
 * Forecasting the DAX and the 3-month T-bill rate, evaluated walk-forward against the classical
 * baselines on the same folds, then trading the DAX forecasts.
 *
 * What it shows:
 *  1. read data/eu_stock_markets.csv (daily closes of DAX, SMI, CAC, FTSE, 1991-1998);
 *  2. the `forecaster` preset: an AR(p) of the DAX log return (p by AIC on the training rows) plus
 *     a small network over windows of the four indices' standardized log returns that models what
 *     the AR leaves over; the network's weight is chosen on the latest training windows, so on
 *     them the forecaster is never worse than the AR alone;
 *  3. `walkForwardEvaluate`: expanding-window folds, a fresh model per fold, against the naive
 *     last-value forecast, the drift (mean return) and AR(p) fitted on the same training rows;
 *     `forecastReportTable` prints RMSE, MAE, skill against the best baseline, directional
 *     accuracy with the share of "up" calls, a Diebold–Mariano test and per-fold figures;
 *     progress per fold and epoch with elapsed time and ETA (a bar on a terminal);
 *  4. a rate: the 3-month T-bill (data/us_macro_quarterly.csv) with `target: 'diff'` (rates can
 *     be near or below zero: changes, not log returns), unemployment and GDP/CPI growth as inputs;
 *  5. a trading view of the DAX out-of-sample forecasts: `strategyReturns` turns predicted
 *     returns into long/short (and long-only) positions with transaction costs; Sharpe, Sortino
 *     and maximum drawdown against buy-and-hold over the same days.
 *
 * Daily index returns are close to unpredictable, so expect skills near zero: the point is an
 * honest, leak-free comparison.
 *
 * Run: `npm run example:forecast` (FINML_EXAMPLE_QUICK=1 for fewer folds and epochs).
 */
import {
  forecastReportTable,
  forecaster,
  getColumn,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  strategyReturns,
  walkForwardEvaluate,
  type Table,
  type WalkForwardProgress,
} from 'finml';
import { readCsv } from 'finml/node';
import { join } from 'node:path';
import { QUICK, ROOT, banner, finish, runMain, startBackend } from './_shared';

const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(0)}s`;

/** Rows = time steps, columns = the named numeric columns. */
function matrix(table: Table, names: readonly string[]): number[][] {
  const cols = names.map((n) => {
    const c = getColumn(table, n);
    if (c.kind !== 'numeric') throw new Error(`column ${n} should be numeric`);
    return c.values;
  });
  return Array.from({ length: table.nRows }, (_, t) => cols.map((c) => c[t] as number));
}

/**
 * Progress per fold and epoch: a redrawn bar on a terminal (stderr); otherwise one line per
 * finished fold on stdout (logs and pipes stay readable).
 */
function progress(): { onProgress: (p: WalkForwardProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastFold = -1;
  return {
    onProgress(p: WalkForwardProgress): void {
      if (tty) {
        const frac = (p.fold + p.epoch / p.epochs) / p.folds;
        const width = 24;
        const full = Math.round(frac * width);
        process.stderr.write(
          `\rfold ${p.fold + 1}/${p.folds} epoch ${String(p.epoch).padStart(2)}/${p.epochs} [${'#'.repeat(full)}${'-'.repeat(width - full)}] elapsed ${secs(p.elapsedMs)} ETA ${secs(p.etaMs)}   `,
        );
      } else if (p.fold !== lastFold && p.fold > 0) {
        console.log(`progress: fold ${p.fold}/${p.folds} done, elapsed ${secs(p.elapsedMs)}, ETA ${secs(p.etaMs)}`);
      }
      lastFold = p.fold;
    },
    done(): void {
      if (tty) process.stderr.write('\n');
    },
  };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const tensorsAtStart = await startBackend();
  console.log(banner('forecasting example'));

  // ---- 1-3. DAX with the four indices as inputs -------------------------------------------------
  const names = ['DAX', 'SMI', 'CAC', 'FTSE'];
  const prices = matrix(await readCsv(join(ROOT, 'data', 'eu_stock_markets.csv')), names);
  const used = QUICK ? prices.slice(-700) : prices;
  console.log(`data: ${used.length} trading days of ${names.join(', ')}; target DAX log return, inputs: log returns of all four`);

  const spec = forecaster({
    lookback: 20,
    horizon: 1,
    targetColumn: 0,
    target: 'logReturn',
    model: { type: 'fnn', hidden: [32], dropout: 0.1 },
    train: { epochs: QUICK ? 4 : 40, batchSize: 64, learningRate: 1e-3, earlyStopping: { patience: 5, restoreBestWeights: true } },
    validationFraction: 0.2,
    seed: 7,
  });

  console.log('\n== DAX: walk-forward evaluation (a fresh model per fold, trained only on earlier days) ==');
  const bar = progress();
  const report = await walkForwardEvaluate(spec, used, {
    nSplits: QUICK ? 2 : 5,
    onProgress: bar.onProgress,
    onFold: (f) => {
      bar.done();
      console.log(`fold ${f.fold + 1}: ${f.trainWindows} training windows, test days ${f.testFrom}-${f.testTo}, AR order ${f.arOrder}, network weight ${f.blend.toFixed(2)}, ${f.epochs} epochs`);
    },
  });
  console.log(forecastReportTable(report, { label: 'forecaster (AR + net)' }));
  console.log(`RMSE skill vs naive: ${fmt(report.rmseSkill)}; vs AR(p): ${fmt(report.skills.ar)}; vs best baseline (${report.best}): ${fmt(report.skill)}`);

  // ---- 4. A rate: the 3-month T-bill, modelled in differences ----------------------------------
  const macroNames = ['tbill', 'unemp', 'gdp', 'cpi'];
  const macro = matrix(await readCsv(join(ROOT, 'data', 'us_macro_quarterly.csv')), macroNames);
  console.log(`\n== 3-month T-bill rate (quarterly, ${macro.length} quarters): target 'diff', inputs: T-bill and unemployment changes, GDP and CPI growth ==`);
  const rate = await walkForwardEvaluate(
    forecaster({
      lookback: 8,
      target: 'diff',
      inputTransforms: ['diff', 'diff', 'logReturn', 'logReturn'],
      train: { epochs: QUICK ? 4 : 40, batchSize: 32, learningRate: 1e-3, earlyStopping: { patience: 5, restoreBestWeights: true } },
      seed: 7,
    }),
    macro,
    { nSplits: QUICK ? 2 : 5 },
  );
  console.log(forecastReportTable(rate, { label: 'forecaster (AR + net)' }));
  console.log(`T-bill skill vs AR(p): ${fmt(rate.skills.ar)}`);

  // ---- 5. Trading view of the DAX forecasts -----------------------------------------------------
  const f = report.forecasts;
  const predicted = Array.from(f.predicted, (p, i) => p / (f.lastPrice[i] as number) - 1);
  const realized = Array.from(f.actual, (a, i) => a / (f.lastPrice[i] as number) - 1);
  const costBps = 5;
  const longShort = strategyReturns(predicted, realized, { threshold: 0, costBps });
  const longOnly = strategyReturns(predicted, realized, { threshold: 0, short: false, costBps });
  console.log(`\n== Trading the DAX forecasts (${realized.length} out-of-sample days, ${costBps} bps per unit traded) ==`);
  console.log(`${'strategy'.padEnd(26)} ${'total'.padStart(8)} ${'Sharpe'.padStart(7)} ${'Sortino'.padStart(8)} ${'max DD'.padStart(7)} ${'turnover'.padStart(9)}`);
  const line = (label: string, r: readonly number[], turnover: number): void => {
    const total = r.reduce((eq, x) => eq * (1 + x), 1) - 1;
    console.log(
      `${label.padEnd(26)} ${pct(total).padStart(8)} ${fmt(sharpeRatio(r), 2).padStart(7)} ${fmt(sortinoRatio(r), 2).padStart(8)} ` +
        `${pct(maxDrawdown(r).depth).padStart(7)} ${String(turnover).padStart(9)}`,
    );
  };
  line('forecaster long/short', longShort.returns, longShort.turnover);
  line('forecaster long-only', longOnly.returns, longOnly.turnover);
  line('buy-and-hold DAX', realized, 1);
  console.log('(Sharpe and Sortino annualized with 252 days, risk-free rate 0; max DD = maximum drawdown of the equity curve)');

  finish(tensorsAtStart, t0);
}

runMain(main);
