/**
 * Forecasting the DAX with an LSTM, evaluated walk-forward against "tomorrow = today", then traded.
 *
 * What it shows:
 *  1. read data/eu_stock_markets.csv (daily closes of DAX, SMI, CAC, FTSE, 1991-1998);
 *  2. the `forecaster` preset: an LSTM over windows of standardized log returns of all four
 *     indices, predicting the next DAX return (the scaling statistics are fitted on each training
 *     fold only);
 *  3. `walkForwardEvaluate`: expanding-window walk-forward folds, a fresh model per fold, against the
 *     naive last-value forecast; per-fold and pooled RMSE / MAE / directional accuracy and the RMSE
 *     skill (1 − rmse(model) / rmse(naive); > 0 means the model beats the naive forecast);
 *  4. a trading view of the same out-of-sample forecasts: `strategyReturns` turns predicted returns
 *     into long/short (and long-only) positions with transaction costs; Sharpe, Sortino and maximum
 *     drawdown against buy-and-hold over the same days.
 *
 * Daily index returns are close to unpredictable, so expect a skill near zero and directional
 * accuracy near the share of up days: the point is an honest, leak-free evaluation.
 *
 * Run: `npm run example:forecast` (FINML_EXAMPLE_QUICK=1 for fewer folds and epochs).
 */
import {
  forecaster,
  getColumn,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  strategyReturns,
  walkForwardEvaluate,
  type ForecastScores,
} from 'finml';
import { readCsv } from 'finml/node';
import { join } from 'node:path';
import { QUICK, ROOT, banner, finish, runMain, startBackend } from './_shared';

const fmt = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const tensorsAtStart = await startBackend();
  console.log(banner('DAX forecasting example'));

  // Prices as rows = days, columns = [DAX, SMI, CAC, FTSE]; DAX (column 0) is the target.
  const table = await readCsv(join(ROOT, 'data', 'eu_stock_markets.csv'));
  const names = ['DAX', 'SMI', 'CAC', 'FTSE'];
  const cols = names.map((n) => {
    const c = getColumn(table, n);
    if (c.kind !== 'numeric') throw new Error(`column ${n} should be numeric`);
    return c.values;
  });
  const prices = Array.from({ length: table.nRows }, (_, t) => cols.map((c) => c[t] as number));
  const used = QUICK ? prices.slice(-700) : prices;
  console.log(`data: ${used.length} trading days of ${names.join(', ')}; target DAX, inputs: log returns of all four`);

  const spec = forecaster({
    lookback: 20,
    horizon: 1,
    target: 0,
    transform: 'logReturns',
    model: { type: 'rnn', cell: 'lstm', units: [16], dropout: 0.1 },
    train: {
      epochs: QUICK ? 4 : 20,
      batchSize: 64,
      learningRate: 1e-3,
      validationSplit: 0.15,
      earlyStopping: { patience: 4, restoreBestWeights: true },
    },
    seed: 7,
  });

  const row = (label: string, s: ForecastScores): string =>
    `${label.padEnd(8)} RMSE ${s.rmse.toFixed(2).padStart(7)}  MAE ${s.mae.toFixed(2).padStart(7)}  directional accuracy ${pct(s.directionalAccuracy)}`;
  console.log('\n== Walk-forward evaluation (a fresh LSTM per fold, trained only on earlier days) ==');
  const report = await walkForwardEvaluate(spec, used, {
    nSplits: QUICK ? 2 : 4,
    onFold: (f) => {
      console.log(`fold ${f.fold + 1}: ${f.trainWindows} training windows, test days ${f.testFrom}-${f.testTo}, ${f.epochs} epochs`);
      console.log(`  ${row('model', f.model)}`);
      console.log(`  ${row('naive', f.naive)}  (naive directional accuracy = share of up days)`);
    },
  });
  console.log('pooled over all test days:');
  console.log(`  ${row('model', report.model)}`);
  console.log(`  ${row('naive', report.naive)}`);
  console.log(`RMSE skill vs naive: ${fmt(report.rmseSkill)} (${report.rmseSkill > 0 ? 'the LSTM beats' : 'the LSTM does not beat'} "tomorrow = today")`);

  // Trading view: predicted and realized simple returns of the same out-of-sample days.
  const f = report.forecasts;
  const predicted = Array.from(f.predicted, (p, i) => p / (f.lastPrice[i] as number) - 1);
  const realized = Array.from(f.actual, (a, i) => a / (f.lastPrice[i] as number) - 1);
  const costBps = 5;
  const longShort = strategyReturns(predicted, realized, { threshold: 0, costBps });
  const longOnly = strategyReturns(predicted, realized, { threshold: 0, short: false, costBps });
  console.log(`\n== Trading the forecasts (${realized.length} out-of-sample days, ${costBps} bps per unit traded) ==`);
  console.log(`${'strategy'.padEnd(26)} ${'total'.padStart(8)} ${'Sharpe'.padStart(7)} ${'Sortino'.padStart(8)} ${'max DD'.padStart(7)} ${'turnover'.padStart(9)}`);
  const line = (label: string, r: readonly number[], turnover: number): void => {
    const total = r.reduce((eq, x) => eq * (1 + x), 1) - 1;
    console.log(
      `${label.padEnd(26)} ${pct(total).padStart(8)} ${fmt(sharpeRatio(r), 2).padStart(7)} ${fmt(sortinoRatio(r), 2).padStart(8)} ` +
        `${pct(maxDrawdown(r).depth).padStart(7)} ${String(turnover).padStart(9)}`,
    );
  };
  line('LSTM long/short', longShort.returns, longShort.turnover);
  line('LSTM long-only', longOnly.returns, longOnly.turnover);
  line('buy-and-hold DAX', realized, 1);
  console.log('(Sharpe and Sortino annualized with 252 days, risk-free rate 0; max DD = maximum drawdown of the equity curve)');

  finish(tensorsAtStart, t0);
}

runMain(main);
