/**
 * German credit, end to end — the finml demo (`npm run demo`, or `npm run example:credit`).
 *
 * What it shows, step by step, with the building blocks a real project uses:
 *  1. pick a backend (wasm, falling back to cpu with a note) and count live tensors;
 *  2. read data/german_credit.csv (1000 applicants, 20 raw columns, target `Class` Good/Bad);
 *  3. a stratified 80/20 train/test split (seed 42);
 *  4. a tabular pipeline (median / most-frequent imputation, one-hot, standard scaling) fitted on
 *     the training rows only, so nothing about the test set leaks into the preprocessing;
 *  5. a feed-forward network (Adam, L2 + dropout) with a validation split and early stopping that
 *     restores the best weights;
 *  6. test metrics: ROC-AUC, KS, Gini, accuracy, Brier score and the confusion matrix;
 *  7. two comparisons: the `buildRiskModel` preset (a cross-validated ensemble) and an
 *     L2 logistic regression baseline;
 *  8. explanations: permutation importance grouped by original column (top features), and reason
 *     codes for one applicant from the risk model's KernelSHAP explanation;
 *  9. save the network + pipeline as a bundle on disk, load it back and check identical predictions;
 * 10. an HTML report and SVG plots (training curve, ROC, calibration, SHAP summary, SHAP waterfall,
 *     feature importance) in out/credit/;
 * 11. dispose everything and check that no tensor leaked.
 *
 * Run: `npm run demo` (about 15-30 s on two cores). Environment:
 *  - FINML_EXAMPLE_QUICK=1 trains fewer epochs/members and explains fewer rows (used by the tests);
 *  - FINML_EXAMPLE_OUT=<dir> writes the report, plots and bundle there instead of out/credit/.
 *
 * In your own project, import from 'finml' and 'finml/node' exactly as below (this repository maps
 * those names to src/ through tsconfig "paths", which tsx and tsc both honour).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  accuracy,
  brierScore,
  buildRiskModel,
  calibrationCurve,
  calibrationPlot,
  confusionMatrix,
  currentBackend,
  featureImportancePlot,
  getColumn,
  gini,
  kernelShap,
  ksStatistic,
  loadBundle,
  logisticRegression,
  modelReport,
  neuralClassifier,
  permutationImportance,
  rocAuc,
  rocCurve,
  rocCurvePlot,
  saveBundle,
  shapSummaryPlot,
  shapWaterfallPlot,
  tabularPipeline,
  tabularPipelineFromJSON,
  takeRows,
  tensorCount,
  trainingCurvePlot,
  trainTestSplit,
  type FeatureImportanceEntry,
} from 'finml';
import { fileBundleStore, readCsv, writeReport, writeSvg } from 'finml/node';
import { QUICK, ROOT, runMain, startBackend } from './_shared';

const OUT = process.env.FINML_EXAMPLE_OUT ?? join(ROOT, 'out', 'credit');
const SEED = 42;
const t0 = Date.now();

const fmt = (v: number, digits = 3): string => v.toFixed(digits);
const section = (title: string): void => console.log(`\n== ${title} ==`);

async function main(): Promise<void> {
  // 1. Backend. wasm is the fastest for small networks in Node; cpu always works.
  const tensorsAtStart = await startBackend();
  console.log(`finml credit-risk demo${QUICK ? ' (quick mode)' : ''} — backend: ${currentBackend()}, tensors at start: ${tensorsAtStart}`);

  // 2. Data: typed columns (numbers stay numbers, strings become categorical columns).
  const table = await readCsv(join(ROOT, 'data', 'german_credit.csv'));
  const target = 'Class';
  const classCol = getColumn(table, target);
  const labels = classCol.values as readonly string[];
  const nBad = labels.filter((l) => l === 'Bad').length;
  console.log(`data: ${table.nRows} applicants, ${table.columns.length - 1} input columns, default rate ${fmt(nBad / table.nRows)}`);

  // 3. Stratified 80/20 split: both sets keep the 30% default rate.
  const split = trainTestSplit(table.nRows, { testSize: 0.2, seed: SEED, stratify: labels });
  const trainT = takeRows(table, split.train);
  const testT = takeRows(table, split.test);
  console.log(`split: ${split.train.length} train / ${split.test.length} test (stratified, seed ${SEED})`);

  // 4. Preprocessing fitted on the training rows only.
  const prep = tabularPipeline({
    target,
    positive: 'Bad',
    numeric: { impute: 'median', scale: 'standard' },
    categorical: { impute: 'most_frequent', encode: 'onehot', handleUnknown: 'ignore' },
  }).fit(trainT);
  const xTrain = prep.transform(trainT);
  const yTrain = prep.transformTarget(trainT);
  const xTest = prep.transform(testT);
  const yTest = prep.transformTarget(testT);
  const inputColumns = Object.keys(prep.featureGroups);
  const groups = Object.entries(prep.featureGroups).map(([name, columns]) => ({ name, columns: [...columns] }));
  console.log(`pipeline: ${inputColumns.length} raw columns -> ${prep.nFeaturesOut} model features (one-hot + standardized)`);

  // 5. A small regularized FNN, Adam, 20% validation split, early stopping restoring the best weights.
  section('Feed-forward network');
  const fnn = await neuralClassifier({
    model: { type: 'fnn', hidden: [16], activation: 'relu', l2: 0.01, dropout: 0.2 },
    train: {
      optimizer: 'adam',
      learningRate: 0.003,
      epochs: QUICK ? 40 : 150,
      batchSize: 32,
      validationSplit: 0.2,
      validationMode: 'shuffled',
      earlyStopping: { monitor: 'valLoss', patience: 15, restoreBestWeights: true },
    },
    seed: SEED,
  }).fit(xTrain, yTrain);
  console.log(
    `trained ${fnn.training.epochs} epochs (${fnn.training.stopReason}), best epoch ${fnn.training.bestEpoch === null ? '-' : fnn.training.bestEpoch + 1}, ` +
      `best val loss ${fmt(Math.min(...fnn.history.valLoss))}`,
  );

  // 6. Test metrics.
  const pFnn = fnn.predictProba(xTest);
  const ks = ksStatistic(yTest, pFnn);
  const auc = rocAuc(yTest, pFnn);
  const acc = accuracy(yTest, pFnn);
  console.log(`test ROC-AUC: ${fmt(auc)}`);
  console.log(`test KS: ${fmt(ks.statistic)} (at PD >= ${fmt(ks.threshold)})`);
  console.log(`test Gini: ${fmt(gini(yTest, pFnn))}`);
  console.log(`test accuracy: ${fmt(acc)} (cut-off 0.5)`);
  console.log(`test Brier: ${fmt(brierScore(yTest, pFnn))}`);
  const cm = confusionMatrix(yTest, pFnn);
  const cell = (r: number, c: number): string => String(cm[r]?.[c] ?? 0).padStart(6);
  console.log('confusion matrix (rows: actual, columns: predicted)');
  console.log('              Good   Bad');
  console.log(`  actual Good${cell(0, 0)}${cell(0, 1)}`);
  console.log(`  actual Bad ${cell(1, 0)}${cell(1, 1)}`);

  // 7. Comparisons on the same test set.
  section('Comparison on the test set');
  const riskModel = await buildRiskModel(trainT, {
    target,
    positive: 'Bad',
    seed: SEED,
    ...(QUICK ? { members: 3, epochs: 60 } : {}),
  });
  const risk = riskModel.evaluate(testT);
  const pRisk = riskModel.score(testT);
  // L2 = 1 (scikit-learn's default C = 1): unpenalized, a rare one-hot level that holds only good
  // applicants in these 800 rows separates the classes and the fit stops with a DataError.
  const lr = logisticRegression({ l2: 1 }).fit(xTrain, yTrain);
  const pLr = lr.predictProba(xTest);
  const rows: [string, readonly number[] | Float64Array][] = [
    ['FNN (this demo)', pFnn],
    [`buildRiskModel (${riskModel.members.length}-net CV ensemble)`, pRisk],
    ['logistic regression, L2 (l2 = 1)', pLr],
  ];
  console.log(`${'model'.padEnd(42)} ${'AUC'.padStart(6)} ${'KS'.padStart(6)} ${'acc'.padStart(6)} ${'Brier'.padStart(6)}`);
  for (const [name, p] of rows) {
    console.log(
      `${name.padEnd(42)} ${fmt(rocAuc(yTest, p)).padStart(6)} ${fmt(ksStatistic(yTest, p).statistic).padStart(6)} ` +
        `${fmt(accuracy(yTest, p)).padStart(6)} ${fmt(brierScore(yTest, p)).padStart(6)}`,
    );
  }
  console.log(`risk model out-of-fold validation AUC (training rows only): ${fmt(riskModel.validation.rocAuc)} (its logistic-regression member: ${fmt(riskModel.validation.baseline.rocAuc)})`);
  console.log(`risk model test calibration slope: ${fmt(risk.calibrationSlope)}; at its validation cut-off PD ${fmt(risk.cutoff)}: ${risk.confusion.tp} of ${risk.confusion.tp + risk.confusion.fn} Bad declined, ${risk.confusion.fp} Good declined`);

  // 8a. Permutation importance of the FNN on the test set, each raw column permuted as one feature.
  section('Explanations');
  const imp = await permutationImportance(fnn.asPredictor(), xTest, yTest, {
    metric: rocAuc,
    groups,
    featureNames: prep.featureNames,
    nRepeats: QUICK ? 3 : 10,
    seed: 1,
  });
  const ranked: FeatureImportanceEntry[] = imp.names
    .map((feature, i) => ({ feature, importance: imp.importancesMean[i] as number, std: imp.importancesStd[i] as number }))
    .sort((a, b) => b.importance - a.importance);
  console.log(`top features (permutation importance: drop in test AUC when the column is shuffled, ${imp.importances[0]?.length ?? 0} repeats):`);
  ranked.slice(0, 5).forEach((e, i) => console.log(`  ${i + 1}. ${e.feature.padEnd(24)} ${fmt(e.importance)} ± ${fmt(e.std ?? 0)}`));

  // 8b. Reason codes for the riskiest test applicant, from the risk model's grouped KernelSHAP.
  let riskiest = 0;
  for (let i = 1; i < pRisk.length; i++) if ((pRisk[i] as number) > (pRisk[riskiest] as number)) riskiest = i;
  const [why] = await riskModel.explain(testT, { rows: [riskiest], topK: 4 });
  if (why === undefined) throw new Error('riskModel.explain returned no explanation');
  console.log(`reason codes for test applicant #${riskiest} (PD ${fmt(why.pd)}, average log-odds ${fmt(why.baseLogOdds)}):`);
  for (const r of why.reasons) console.log(`  ${r.rank}. ${r.sentence}`);

  // SHAP values of the FNN for a batch of test applicants (for the summary plot).
  const nShap = QUICK ? 12 : 60;
  const explainer = kernelShap(fnn.asPredictor(), xTrain, { link: 'logit', groups, backgroundSize: 25, seed: SEED });
  const shap = await explainer.explain(xTest.slice(0, nShap));
  // Dot colours: a numeric column's (standardized) value; for a one-hot column, the training default
  // rate of the applicant's level (so "high" means a risky level, e.g. CheckingAccountStatus = lt.0).
  const levelRate = prep.featureNames.map((_, c) => {
    let n = 0;
    let bad = 0;
    xTrain.forEach((row, i) => {
      if ((row[c] as number) > 0.5) {
        n++;
        bad += yTrain[i] as number;
      }
    });
    return n > 0 ? bad / n : nBad / table.nRows;
  });
  const shapFeatureValues = xTest.slice(0, nShap).map((row) =>
    shap.playerColumns.map((cols) => {
      if (cols.length === 1) return row[cols[0] as number] as number;
      const active = cols.find((c) => (row[c] as number) > 0.5);
      return active === undefined ? nBad / table.nRows : (levelRate[active] as number);
    }),
  );

  // 9. Bundle: network + fitted pipeline + metadata, saved to disk and loaded back.
  section('Bundle');
  const bundleDir = join(OUT, 'bundle');
  await rm(bundleDir, { recursive: true, force: true });
  await saveBundle(
    { model: fnn, pipeline: prep.toJSON(), metadata: { featureNames: inputColumns, target, metrics: { auc, ks: ks.statistic, accuracy: acc } } },
    fileBundleStore(bundleDir),
  );
  const loaded = await loadBundle(fileBundleStore(bundleDir));
  let maxDiff = Infinity;
  try {
    if (loaded.pipeline === null || loaded.model.kind !== 'NeuralClassifier') throw new Error('the bundle lost its pipeline or classifier');
    const prep2 = tabularPipelineFromJSON(loaded.pipeline);
    const p2 = loaded.model.predictProba(prep2.transform(testT));
    maxDiff = 0;
    for (let i = 0; i < p2.length; i++) maxDiff = Math.max(maxDiff, Math.abs((p2[i] as number) - (pFnn[i] as number)));
  } finally {
    loaded.model.dispose();
  }
  console.log(`saved to ${bundleDir} (model.json, weights.bin, bundle.json); reloaded predictions ${maxDiff === 0 ? 'identical' : `differ by up to ${maxDiff}`} (max |diff| = ${maxDiff})`);
  if (maxDiff !== 0) process.exitCode = 1;

  // 10. Plots and the self-contained HTML report.
  section('Report');
  const shortNames = ['FNN', 'risk model', 'LR baseline'];
  const rocs = rows.map(([, p], i) => ({ ...rocCurve(yTest, p), auc: rocAuc(yTest, p), label: shortNames[i] ?? '' }));
  const plots = [
    { title: 'Training curve (FNN)', file: 'training-curve.svg', svg: trainingCurvePlot({ loss: fnn.history.loss, valLoss: fnn.history.valLoss }, { title: 'FNN training and validation loss' }) },
    { title: 'ROC curves (test set)', file: 'roc.svg', svg: rocCurvePlot(rocs, { title: 'ROC, test set' }) },
    { title: 'Calibration (FNN, test set)', file: 'calibration.svg', svg: calibrationPlot(calibrationCurve(yTest, pFnn, { nBins: 10 }), { title: 'Calibration, test set', label: 'FNN' }) },
    {
      title: 'SHAP summary (FNN, log-odds)',
      file: 'shap-summary.svg',
      svg: shapSummaryPlot({ shapValues: shap.values, featureNames: shap.playerNames, featureValues: shapFeatureValues }, { title: `SHAP values of ${nShap} test applicants`, maxDisplay: 12 }),
    },
    {
      title: `Why applicant #${riskiest} is risky (risk model)`,
      file: 'shap-waterfall.svg',
      svg: shapWaterfallPlot(
        {
          baseValue: why.baseLogOdds,
          shapValues: inputColumns.map((c) => why.contributions[c] ?? 0),
          featureNames: inputColumns,
          featureValues: inputColumns.map((c) => {
            const v = getColumn(testT, c).values[riskiest];
            return typeof v === 'number' || typeof v === 'string' ? v : 'missing';
          }),
        },
        { title: `Applicant #${riskiest}: log-odds of default`, maxDisplay: 10 },
      ),
    },
    { title: 'Permutation importance (FNN, test AUC drop)', file: 'feature-importance.svg', svg: featureImportancePlot(ranked, { title: 'Permutation importance', xLabel: 'drop in test AUC' }) },
  ];
  for (const p of plots) await writeSvg(join(OUT, p.file), p.svg);
  const html = modelReport({
    title: 'German credit: FNN vs buildRiskModel vs logistic regression',
    metrics: {
      'test ROC-AUC (FNN)': auc,
      'test KS (FNN)': ks.statistic,
      'test Gini (FNN)': gini(yTest, pFnn),
      'test accuracy (FNN)': acc,
      'test Brier (FNN)': brierScore(yTest, pFnn),
      'test ROC-AUC (risk model)': risk.rocAuc,
      'test ROC-AUC (logistic regression)': rocAuc(yTest, pLr),
    },
    plots: plots.map(({ title, svg }) => ({ title, svg })),
    featureImportance: ranked,
    dataWindow: { description: `German credit (data/german_credit.csv), stratified 80/20 split, seed ${SEED}`, rows: table.nRows },
    seed: SEED,
    backend: currentBackend(),
    notes: [`Reason codes for applicant #${riskiest}: ${why.reasons.map((r) => r.sentence).join('; ')}`],
  });
  await writeReport(join(OUT, 'report.html'), html);
  console.log(`wrote ${join(OUT, 'report.html')} and ${plots.length} SVG plots (${plots.map((p) => p.file).join(', ')})`);

  // 11. Clean up: the fitted networks own tensors.
  fnn.dispose();
  riskModel.dispose();
  const tensorsAtEnd = tensorCount();
  section('Summary');
  console.log(`test ROC-AUC: ${fmt(auc)} | KS: ${fmt(ks.statistic)} | accuracy: ${fmt(acc)} (FNN); risk model AUC ${fmt(risk.rocAuc)}; logistic regression AUC ${fmt(rocAuc(yTest, pLr))}`);
  console.log(`top features: ${ranked.slice(0, 5).map((e) => e.feature).join(', ')}`);
  console.log(`tensors at start: ${tensorsAtStart}, at end: ${tensorsAtEnd}; tensors leaked: ${tensorsAtEnd - tensorsAtStart}`);
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (tensorsAtEnd !== tensorsAtStart) process.exitCode = 1;
}

runMain(main);
