/**
 * The workload the browser test runs in headless Chromium (on wasm and webgl) and, for reference,
 * in Node on the cpu backend: build a seeded FNN with finml, train it with finml's trainer on
 * a seeded synthetic credit-like problem, score it, compute AUC and draw a ROC plot, and count
 * tensors before/after. Imports finml from src/ (bundled by esbuild for the browser).
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, createRng, disposeModel, rocAuc, rocCurve, rocCurvePlot, trainModel } from '../../src/index';

/** What one run reports back (plain JSON, so it crosses page.evaluate). */
export interface ScenarioResult {
  readonly backend: string;
  readonly loss: number[];
  readonly auc: number;
  readonly firstScores: number[];
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
  readonly svgLength: number;
  readonly lstmOutput: number[];
}

/** Seeded data: 4 features, label = 1 when a noisy linear score is positive. */
export function scenarioData(n = 256): { x: number[][]; y: number[] } {
  const rng = createRng(11);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    const s = 1.5 * (r[0] as number) - (r[1] as number) + 0.5 * (r[2] as number) + 0.3 * rng.normal();
    x.push(r);
    y.push(s > 0 ? 1 : 0);
  }
  return { x, y };
}

/** Runs the scenario on the currently active tfjs backend. */
export async function runScenario(): Promise<ScenarioResult> {
  const { x, y } = scenarioData();
  const tensorsBefore = tf.memory().numTensors;
  const model = buildModel({ type: 'fnn', hidden: [8] }, { inputShape: [4], head: { task: 'binary', units: 1 }, seed: 3 });
  let loss: number[];
  let scores: number[];
  try {
    const res = await trainModel(model, x, y, { epochs: 8, batchSize: 32, learningRate: 0.05, seed: 5 });
    loss = [...res.history.loss];
    const xt = tf.tensor2d(x);
    const pt = model.predict(xt, { batchSize: 4096 }) as tf.Tensor;
    scores = Array.from(await pt.data());
    tf.dispose([xt, pt]);
  } finally {
    disposeModel(model);
  }
  // A small LSTM forward pass (recurrent kernels on this backend), seeded weights.
  const rnn = buildModel({ type: 'rnn', cell: 'lstm', units: [4] }, { inputShape: [5, 2], head: { task: 'regression', units: 1 }, seed: 9 });
  let lstmOutput: number[];
  try {
    const w = tf.tidy(() => tf.div(tf.reshape(tf.range(0, 20, 1, 'float32'), [2, 5, 2]), 20));
    const o = rnn.predict(w, { batchSize: 4096 }) as tf.Tensor;
    lstmOutput = Array.from(await o.data());
    tf.dispose([w, o]);
  } finally {
    disposeModel(rnn);
  }
  const auc = rocAuc(y, scores);
  const svg = rocCurvePlot({ ...rocCurve(y, scores), label: tf.getBackend() });
  return {
    backend: tf.getBackend(),
    loss,
    auc,
    firstScores: scores.slice(0, 5),
    tensorsBefore,
    tensorsAfter: tf.memory().numTensors,
    svgLength: svg.length,
    lstmOutput,
  };
}
