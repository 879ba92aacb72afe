/**
 * Credit-risk workload of the browser test, run in headless Chromium on wasm and, as the
 * reference, in Node on the cpu backend: parse the raw German credit CSV text with `parseCsv`
 * (the page fetches it; `readCsv` is Node-only), split a seeded stratified subset, fit
 * `buildRiskModel` (2-member CV ensemble, few epochs), score the held-out rows, compute `rocAuc`,
 * explain one applicant (grouped KernelSHAP + reason codes), and round-trip the model through
 * JSON text → `riskModelFromJSON` and, in the browser, through tfjs's own IndexedDB and
 * localStorage handlers (`saveRiskModel` / `loadRiskModel`). Imports finml from src/ (bundled by
 * esbuild for the browser).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  buildRiskModel,
  getColumn,
  loadRiskModel,
  parseCsv,
  riskModelFromJSON,
  saveRiskModel,
  rocAuc,
  takeRows,
  trainTestSplit,
  type RiskModel,
} from '../../src/index';

/** What the risk run reports back (plain JSON, so it crosses page.evaluate). */
export interface RiskScenarioResult {
  readonly backend: string;
  readonly rows: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly testAuc: number;
  readonly validationAuc: number;
  readonly members: number;
  readonly firstScores: number[];
  /** Reason codes of the explained applicant. */
  readonly reasons: { name: string; value: string | null; contribution: number; sentence: string }[];
  /** Number of input columns with a SHAP contribution (every input column except the target). */
  readonly contributionCount: number;
  /** |logit(pd) - (baseLogOdds + Σ contributions)| of the explained applicant (SHAP additivity). */
  readonly additivityError: number;
  /** |explained pd - score of the same row|. */
  readonly pdVsScore: number;
  /** Length of the JSON text of `toJSON()`. */
  readonly jsonLength: number;
  /** Largest |difference| between the scores of the model and of its JSON copy. */
  readonly roundTripMaxDiff: number;
  /**
   * Browser only (empty in Node): per tfjs store (`indexeddb`, `localstorage`), the largest
   * |difference| between the model's scores and those of the copy saved with `saveRiskModel` and
   * loaded with `loadRiskModel` through that store's handler, and the member count it reported.
   */
  readonly stores: Record<string, { readonly maxDiff: number; readonly members: number }>;
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

/** Rows of the German credit table used (a seeded subset keeps the browser run short). */
export const RISK_SUBSET = 600;

/** Runs the risk scenario on the active backend from the CSV text of data/german_credit.csv. */
export async function runRiskScenario(csvText: string): Promise<RiskScenarioResult> {
  const full = parseCsv(csvText);
  const subset = trainTestSplit(full.nRows, { testSize: full.nRows - RISK_SUBSET, seed: 5, stratify: getColumn(full, 'Class').values as string[] }).train;
  const table = takeRows(full, subset);
  const labels = getColumn(table, 'Class').values as string[];
  const split = trainTestSplit(table.nRows, { testSize: 0.3, seed: 1, stratify: labels });
  const train = takeRows(table, split.train);
  const test = takeRows(table, split.test);
  const yTest = Array.from(split.test, (i) => (labels[i] === 'Bad' ? 1 : 0));

  const tensorsBefore = tf.memory().numTensors;
  const owned: RiskModel[] = [];
  try {
    const model = await buildRiskModel(train, { target: 'Class', positive: 'Bad', members: 2, epochs: 12, learningRate: 0.01, patience: 4, seed: 3 });
    owned.push(model);
    const scores = model.score(test);
    const [e] = await model.explain(test, { rows: [0], topK: 3 });
    if (e === undefined) throw new Error('explain returned no explanation');
    const contributions = Object.values(e.contributions);
    const sum = contributions.reduce((s, v) => s + v, e.baseLogOdds);
    const logit = Math.log(e.pd / (1 - e.pd));
    const text = JSON.stringify(model.toJSON());
    const back = await riskModelFromJSON(JSON.parse(text));
    owned.push(back);
    const scores2 = back.score(test);
    let roundTripMaxDiff = scores.length === scores2.length ? 0 : Number.POSITIVE_INFINITY;
    for (let i = 0; i < scores.length; i++) roundTripMaxDiff = Math.max(roundTripMaxDiff, Math.abs((scores[i] as number) - (scores2[i] as number)));
    const maxDiff = (a: Float64Array, b: Float64Array): number => {
      let d = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
      for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
      return d;
    };
    const stores: Record<string, { maxDiff: number; members: number }> = {};
    if (tf.env().getBool('IS_BROWSER')) {
      for (const url of ['indexeddb://finml-risk-test', 'localstorage://finml-risk-test']) {
        const save = tf.io.getSaveHandlers(url)[0];
        const load = tf.io.getLoadHandlers(url)[0];
        if (save === undefined || load === undefined) throw new Error(`no tfjs IO handler for ${url}`);
        await saveRiskModel(model, save);
        const loaded = await loadRiskModel(load);
        owned.push(loaded.model);
        stores[url.split(':')[0] as string] = { maxDiff: maxDiff(scores, loaded.model.score(test)), members: loaded.metadata.members };
        await tf.io.removeModel(url);
      }
    }
    const result = {
      backend: tf.getBackend(),
      rows: table.nRows,
      trainRows: train.nRows,
      testRows: test.nRows,
      testAuc: rocAuc(yTest, scores),
      validationAuc: model.validation.rocAuc,
      members: model.members.length,
      firstScores: Array.from(scores.slice(0, 5)),
      reasons: e.reasons.map((r) => ({ name: r.name, value: r.value, contribution: r.contribution, sentence: r.sentence })),
      contributionCount: contributions.length,
      additivityError: Math.abs(logit - sum),
      pdVsScore: Math.abs(e.pd - (scores[0] as number)),
      jsonLength: text.length,
      roundTripMaxDiff,
      stores,
    };
    owned.forEach((m) => m.dispose());
    owned.length = 0;
    return { ...result, tensorsBefore, tensorsAfter: tf.memory().numTensors };
  } finally {
    owned.forEach((m) => m.dispose());
  }
}
