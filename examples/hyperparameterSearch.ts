/**
 * Tuning a credit-scoring FNN: Bayesian search (TPE) vs random search, with stratified K-fold CV.
 *
 * What it shows:
 *  1. German credit, the same stratified 80/20 split as the demo (seed 42); the test rows are put
 *     aside and never seen by the search;
 *  2. a typed search space (`space`, `choice`, `logUniform`, `uniform`): hidden layers, L2 penalty,
 *     dropout and Adam's learning rate;
 *  3. an objective that, for each stratified CV fold of the training rows, fits the preprocessing
 *     pipeline on the fold's training part only (no leakage across folds), trains the FNN with
 *     early stopping and returns the fold's ROC-AUC;
 *  4. `randomSearch` and `bayesSearch` (Tree-structured Parzen Estimator: random start-up trials,
 *     then proposals that maximise l(x)/g(x)) with the same small budget and seed;
 *  5. the best parameters of each, their CV AUC (mean ± std over folds), then each winner refitted
 *     on all training rows and scored once on the untouched test set.
 *
 * With a budget this small the two searches often end close: TPE's advantage grows with the budget.
 *
 * Run: `npm run example:search` (FINML_EXAMPLE_QUICK=1 for a tiny budget).
 */
import {
  bayesSearch,
  choice,
  getColumn,
  logUniform,
  neuralClassifier,
  randomSearch,
  rocAuc,
  space,
  stratifiedKFold,
  tabularPipeline,
  takeRows,
  trainTestSplit,
  uniform,
  type ParamsOf,
  type SearchResult,
  type Table,
} from 'finml';
import { readCsv } from 'finml/node';
import { join } from 'node:path';
import { QUICK, ROOT, banner, finish, runMain, startBackend } from './_shared';

const SEED = 42;
const TARGET = 'Class';

const searchSpace = space({
  hidden: choice([[8], [16], [32], [32, 16]]),
  l2: logUniform(1e-4, 1e-1),
  dropout: uniform(0, 0.4),
  learningRate: logUniform(1e-3, 3e-2),
});
type Params = ParamsOf<typeof searchSpace>;

/** Fits the pipeline on `train` only, trains the FNN with `p`, returns ROC-AUC on `test`. */
async function fitAndScore(p: Params, train: Table, test: Table, epochs: number): Promise<number> {
  const prep = tabularPipeline({ target: TARGET, positive: 'Bad', categorical: { handleUnknown: 'ignore' } }).fit(train);
  const model = await neuralClassifier({
    model: { type: 'fnn', hidden: [...p.hidden], l2: p.l2, dropout: p.dropout },
    train: {
      optimizer: 'adam',
      learningRate: p.learningRate,
      epochs,
      batchSize: 32,
      validationSplit: 0.2,
      validationMode: 'shuffled',
      earlyStopping: { monitor: 'valLoss', patience: 8, restoreBestWeights: true },
    },
    seed: SEED,
  }).fit(prep.transform(train), prep.transformTarget(train));
  try {
    return rocAuc(prep.transformTarget(test), model.predictProba(prep.transform(test)));
  } finally {
    model.dispose();
  }
}

const describe = (p: Params): string =>
  `hidden [${p.hidden.join(', ')}], l2 ${p.l2.toExponential(1)}, dropout ${p.dropout.toFixed(2)}, lr ${p.learningRate.toExponential(1)}`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const tensorsAtStart = await startBackend();
  console.log(banner('hyperparameter search example'));

  const table = await readCsv(join(ROOT, 'data', 'german_credit.csv'));
  const labels = getColumn(table, TARGET).values as readonly string[];
  const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: SEED, stratify: labels });
  const trainT = takeRows(table, split.train);
  const testT = takeRows(table, split.test);
  const trainLabels = Array.from(split.train, (i) => labels[i] as string);

  const k = QUICK ? 2 : 3;
  const nTrials = QUICK ? 4 : 12;
  const epochs = QUICK ? 15 : 60;
  const folds = stratifiedKFold(trainLabels, { k, shuffle: true, seed: SEED });
  console.log(`search: ${nTrials} trials per strategy, ${k}-fold stratified CV on ${split.train.length} training rows (test set of ${split.test.length} rows held out)`);

  const objective = (p: Params, fold: { readonly train: Int32Array; readonly test: Int32Array }): Promise<number> =>
    fitAndScore(p, takeRows(trainT, fold.train), takeRows(trainT, fold.test), epochs);
  const logTrial = (name: string) => (t: { index: number; score: number; std: number; params: Params }): void => {
    console.log(`  ${name} trial ${String(t.index + 1).padStart(2)}: CV AUC ${t.score.toFixed(3)} ± ${t.std.toFixed(3)}  (${describe(t.params)})`);
  };

  console.log('\n== random search ==');
  const random = await randomSearch(searchSpace, objective, { direction: 'maximize', nTrials, seed: 1, cv: folds, onTrial: logTrial('random') });
  console.log('\n== Bayesian search (TPE) ==');
  const tpe = await bayesSearch(searchSpace, objective, {
    direction: 'maximize',
    nTrials,
    nStartup: QUICK ? 2 : 5,
    seed: 1,
    cv: folds,
    onTrial: logTrial('tpe'),
  });

  console.log('\n== Results ==');
  const results: [string, SearchResult<Params>][] = [
    ['random search', random],
    ['TPE', tpe],
  ];
  for (const [name, r] of results) {
    const testAuc = await fitAndScore(r.best.params, trainT, testT, epochs);
    console.log(`${name}: best params ${describe(r.best.params)}`);
    console.log(`  best CV AUC ${r.best.score.toFixed(3)} ± ${r.best.std.toFixed(3)} (trial ${r.best.index + 1} of ${r.trials.length}); test AUC of the refitted best: ${testAuc.toFixed(3)}`);
  }

  finish(tensorsAtStart, t0);
}

runMain(main);
