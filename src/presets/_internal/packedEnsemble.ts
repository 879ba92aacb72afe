/**
 * Trains the k cross-validation networks of buildRiskModel (src/presets) as ONE packed network: every
 * weight has a leading member dimension (`[k, in, out]`), the forward pass is a batched matMul
 * `[k, batch, in] × [k, in, out]`, and member i sees only the rows of its own training folds
 * (per-member batches stacked on the leading axis; padding rows carry zero weight in the loss).
 * One optimizer step updates every member with a handful of ops, instead of k separate loops.
 * Each member early-stops on its own validation fold and keeps its best weights; the result is
 * k ordinary fitted NeuralClassifiers (same network, same initial weights as
 * `neuralClassifier({ model: { type: 'fnn', ... }, seed }).fit`), so saving and loading are
 * unchanged. The gradient is written by hand with explicit transposes (plain matMuls only: the
 * wasm backend's transposed matMul is slow). @internal
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, TrainingError, describeValue } from '../../core/errors';
import type { DenseMatrix } from '../../core/matrix';
import { createRng, type Rng } from '../../core/random';
import type { IndexSplit } from '../../data/indexSplit';
import { buildModel } from '../../models/buildModel';
import { disposeModel } from '../../models/disposeModel';
import { createFitted, type FittedNeuralClassifier, type NeuralFitOptions, type NeuralParams } from '../../models/neuralModel';
import type { EpochLogs, TrainHistory, TrainResult } from '../../train/trainModel';
import { backendKeepsTensorsOnHost, createOptimizer, hostView, isHostOptimizer } from '../../train/_internal/hostOptimizer';

/** Training settings shared by every member. @internal */
export interface PackedTrainConfig {
  readonly hidden: readonly number[];
  readonly l2: number;
  readonly dropout: number;
  readonly learningRate: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly patience: number;
  readonly classWeight: 'balanced' | null;
}

/** One packed epoch: each network's logs (null once it has stopped). @internal */
export interface PackedEpochLogs {
  readonly epoch: number;
  readonly members: readonly (EpochLogs | null)[];
}

const EPS = 1e-7;

/** Binary cross-entropy per element, clipped as the trainer's loss. */
function bce(y: tf.Tensor, p: tf.Tensor): tf.Tensor {
  const c = tf.clipByValue(p, EPS, 1 - EPS);
  return tf.neg(tf.add(tf.mul(y, tf.log(c)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, c)))));
}

type Immediate = (cb: () => void) => unknown;
const setImmediateFn: Immediate | undefined = (globalThis as { setImmediate?: Immediate }).setImmediate;
/** Lets timers and I/O run between epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => (setImmediateFn !== undefined ? setImmediateFn(resolve) : setTimeout(resolve, 0)));
}

/** Rows `idx` of a row-major matrix with `p` columns, into `out` (or a new array). */
function gatherRows(src: Float32Array, p: number, idx: Int32Array, out: Float32Array = new Float32Array(idx.length * p)): Float32Array {
  for (let i = 0; i < idx.length; i++) out.set(src.subarray((idx[i] as number) * p, ((idx[i] as number) + 1) * p), i * p);
  return out;
}

/**
 * Trains one network per fold, packed, and returns them in fold order.
 * @param x - Encoded rows (all training rows).
 * @param y - 0/1 targets.
 * @param folds - Per member: `train` rows to fit, `test` rows to early-stop on.
 * @param params - Per member: the NeuralParams of its network (fnn spec, seed).
 * @param cfg - Shared training settings.
 * @param fitOptions - `signal`, `lrSchedule`, and per network `onEpochEnd` (replayed in network order after training, before that network's `onTrainEnd`), `onBatchEnd`, `onTrainEnd` (`validationData` is not used: each network validates on its fold).
 * @param onEnsembleEpochEnd - Called live after every packed epoch with each network's logs of that epoch (null for networks already stopped).
 * @returns k fitted NeuralClassifiers (the caller owns them).
 * @throws {TrainingError} aborted by the signal, or a non-finite loss.
 * @internal
 */
export async function trainPackedClassifiers(
  x: DenseMatrix,
  y: ArrayLike<number>,
  folds: readonly IndexSplit[],
  params: readonly Readonly<NeuralParams>[],
  cfg: PackedTrainConfig,
  fitOptions: NeuralFitOptions = {},
  onEnsembleEpochEnd?: (logs: PackedEpochLogs) => void | Promise<void>,
): Promise<FittedNeuralClassifier[]> {
  const k = folds.length;
  const p = x.cols;
  const B = cfg.batchSize;
  const models: (tfl.LayersModel | null)[] = [];
  const trainRngs: Rng[] = [];
  const dropRngs: Rng[] = [];
  const out: FittedNeuralClassifier[] = [];
  const vars: tf.Variable[] = [];
  let optimizer: tf.Optimizer | null = null;
  const inner: tf.Tensor[] = [];
  try {
    // Members' networks with exactly the initial weights neuralClassifier.fit would start from.
    for (let m = 0; m < k; m++) {
      const rng = createRng((params[m] as NeuralParams).seed);
      const buildSeed = rng.seed();
      const trainRng = createRng(rng.seed());
      models.push(await buildModel((params[m] as NeuralParams).model, { inputShape: [p], head: { task: 'binary', units: 1 }, seed: buildSeed }));
      trainRngs.push(trainRng.fork());
      dropRngs.push(trainRng.fork());
    }
    const dense = models.map((mod) => (mod as tfl.LayersModel).layers.filter((l) => l.getClassName() === 'Dense'));
    const nLayers = (dense[0] as tfl.layers.Layer[]).length;
    const dims = [p, ...cfg.hidden, 1];
    // All parameters in ONE flat variable (one Adam update per step): per layer, the kernels
    // [k, in, out] then the biases [k, 1, out]. memberOf/kernelOf tell each element's member and kind.
    const layout: { kOff: number; bOff: number; inD: number; outD: number }[] = [];
    let total = 0;
    for (let l = 0; l < nLayers; l++) {
      const inD = dims[l] as number;
      const outD = dims[l + 1] as number;
      layout.push({ kOff: total, bOff: total + k * inD * outD, inD, outD });
      total += k * (inD * outD + outD);
    }
    const init = new Float32Array(total);
    const memberOf = new Int32Array(total);
    const l2Mask = new Float32Array(total);
    const memberHot = new Float32Array(total * k);
    layout.forEach((L, l) => {
      for (let m = 0; m < k; m++) {
        const layer = (dense[m] as tfl.layers.Layer[])[l] as tfl.layers.Layer;
        const kv = (layer.weights[0] as tfl.LayerVariable).read().dataSync() as Float32Array;
        const bv = (layer.weights[1] as tfl.LayerVariable).read().dataSync() as Float32Array;
        const ko = L.kOff + m * L.inD * L.outD;
        const bo = L.bOff + m * L.outD;
        init.set(kv, ko);
        init.set(bv, bo);
        for (let j = 0; j < kv.length; j++) {
          memberOf[ko + j] = m;
          l2Mask[ko + j] = 1;
        }
        for (let j = 0; j < bv.length; j++) memberOf[bo + j] = m;
      }
    });
    for (let j = 0; j < total; j++) memberHot[j * k + (memberOf[j] as number)] = (l2Mask[j] as number) * cfg.l2;
    const initT = tf.tensor1d(init, 'float32');
    const theta = tf.variable(initT, true);
    initT.dispose();
    vars.push(theta);
    let bestValues = Float32Array.from(init);
    const gradL2 = tf.tensor1d(l2Mask.map((v) => v * 2 * cfg.l2), 'float32');
    const penaltyHot = tf.tensor2d(memberHot, [total, k], 'float32');
    inner.push(gradL2, penaltyHot);
    // on cpu and wasm tfjs's Adam arithmetic runs on the host in one loop (same bits, 14 ops fewer per step)
    optimizer = createOptimizer('adam', cfg.learningRate);
    /**
     * `shape`-shaped piece of theta at `offset`. With the host optimizer the piece is uploaded from
     * its host copy of theta: on wasm a device slice copies the whole of theta out of the heap.
     */
    const thetaPiece = (offset: number, shape: number[]): tf.Tensor => {
      const size = shape.reduce((a, b) => a * b, 1);
      const host = optimizer !== null && isHostOptimizer(optimizer) ? optimizer.valuesOf(theta) : null;
      return host !== null ? tf.tensor(host.subarray(offset, offset + size), shape, 'float32') : tf.reshape(tf.slice(theta, [offset], [size]), shape);
    };
    const unpack = (): { W: tf.Tensor3D[]; b: tf.Tensor3D[] } => ({
      W: layout.map((L) => thetaPiece(L.kOff, [k, L.inD, L.outD]) as tf.Tensor3D),
      b: layout.map((L) => thetaPiece(L.bOff, [k, 1, L.outD]) as tf.Tensor3D),
    });

    // Batches are gathered JS-side (the wasm backend's gather is slow) from float32 rows.
    const x32 = Float32Array.from(x.data);
    // Class weights (scikit-learn's balanced), from each member's own training rows.
    const cw = folds.map((f) => {
      if (cfg.classWeight === null) return [1, 1];
      let pos = 0;
      for (const i of f.train) pos += y[i] as number;
      const n = f.train.length;
      return [n / (2 * (n - pos)), n / (2 * pos)];
    });
    // Validation folds, stacked and padded: [k, V, p] with per-member weights 1/n_v (0 for padding).
    const V = Math.max(...folds.map((f) => f.test.length));
    const vIdx = new Int32Array(k * V);
    const vY = new Float32Array(k * V);
    const vW = new Float32Array(k * V);
    folds.forEach((f, m) => {
      f.test.forEach((row, j) => {
        vIdx[m * V + j] = row;
        vY[m * V + j] = y[row] as number;
        vW[m * V + j] = 1 / f.test.length;
      });
    });
    const xVal = tf.tensor3d(gatherRows(x32, p, vIdx), [k, V, p]);
    const yVal = tf.tensor3d(vY, [k, V, 1]);
    const wVal = tf.tensor3d(vW, [k, V, 1]);
    inner.push(xVal, yVal, wVal);
    const hiddenMask = cfg.dropout > 0;
    // the first layer's output gradient, copied to the host to split it by member
    const gradScratch = new Float32Array(k * B * (layout[0] as { outD: number }).outD);
    const keep = 1 / (1 - cfg.dropout);

    /** Per member [k]: validation loss (mean cross-entropy + l2 · Σ kernel²), as the trainer's valLoss. */
    const valLoss = (): tf.Tensor =>
      tf.tidy(() => {
        const { W, b } = unpack();
        let h: tf.Tensor = xVal;
        for (let l = 0; l < nLayers; l++) {
          const z = tf.add(tf.matMul(h as tf.Tensor3D, W[l] as tf.Tensor3D), b[l] as tf.Tensor3D);
          h = l < nLayers - 1 ? tf.relu(z) : tf.sigmoid(z);
        }
        const pen = tf.reshape(tf.matMul(tf.reshape(tf.square(theta), [1, total]), penaltyHot), [k]);
        return tf.concat([tf.sum(tf.mul(bce(yVal, h), wVal), [1, 2]), pen]);
      });

    const nTrain = folds.map((f) => f.train.length);
    const nBatches = Math.ceil(Math.max(...nTrain) / B);
    const active = new Array<boolean>(k).fill(true);
    const bestLoss = new Array<number>(k).fill(Infinity);
    const bestEpoch = new Array<number | null>(k).fill(null);
    const wait = new Array<number>(k).fill(0);
    const epochsRun = new Array<number>(k).fill(0);
    const stopReason = new Array<TrainResult['stopReason']>(k).fill('completed');
    const histories = folds.map(() => ({ epoch: [] as number[], loss: [] as number[], valLoss: [] as number[], lr: [] as number[] }));
    const epochLogs: EpochLogs[][] = folds.map(() => []);
    let lr = cfg.learningRate;
    const idx = new Int32Array(k * B);
    const xBuf = new Float32Array(k * B * p);
    const xBufT = new Float32Array(k * B * p);
    const yb = new Float32Array(k * B);
    const wb = new Float32Array(k * B);
    const masks = cfg.hidden.map((h) => new Float32Array(hiddenMask ? k * B * h : 0));

    for (let epoch = 0; epoch < cfg.epochs && active.some(Boolean); epoch++) {
      if (fitOptions.lrSchedule !== undefined) {
        const next = fitOptions.lrSchedule(epoch, lr);
        if (typeof next !== 'number' || !Number.isFinite(next) || next <= 0) {
          throw new InvalidOptionError({ fn: 'buildRiskModel', arg: 'fitOptions.lrSchedule', expected: 'a function returning a finite number > 0', got: `${describeValue(next)} at epoch ${epoch}` });
        }
        if (next !== lr) {
          lr = next;
          (optimizer as unknown as { learningRate: number }).learningRate = lr;
        }
      }
      const orders = folds.map((f, m) => {
        const perm = (trainRngs[m] as Rng).permutation(f.train.length);
        return Int32Array.from(perm, (j) => f.train[j] as number);
      });
      let lossSum: tf.Tensor = tf.zeros([k]);
      for (let b = 0; b < nBatches; b++) {
        if (fitOptions.signal?.aborted === true) {
          lossSum.dispose();
          throw new TrainingError(`buildRiskModel: training was aborted at epoch ${epoch}, batch ${b}.`, {
            fn: 'buildRiskModel',
            arg: 'signal',
            expected: 'a signal that is not aborted',
            got: `an aborted signal at epoch ${epoch}, batch ${b}`,
          });
        }
        idx.fill(0);
        yb.fill(0);
        wb.fill(0);
        for (let m = 0; m < k; m++) {
          const order = orders[m] as Int32Array;
          const start = b * B;
          const end = Math.min(order.length, start + B);
          const size = end - start;
          if (size <= 0) continue;
          const w = cw[m] as number[];
          for (let j = 0; j < size; j++) {
            const row = order[start + j] as number;
            const t = y[row] as number;
            idx[m * B + j] = row;
            yb[m * B + j] = t;
            wb[m * B + j] = (w[t] as number) / size;
          }
          if (hiddenMask) {
            const r = dropRngs[m] as Rng;
            cfg.hidden.forEach((h, l) => {
              const mk = masks[l] as Float32Array;
              for (let j = 0; j < B * h; j++) mk[m * B * h + j] = r.next() >= cfg.dropout ? keep : 0;
            });
          }
        }
        const stepLoss = tf.tidy(() => {
          gatherRows(x32, p, idx, xBuf);
          // The transposed batch [k, p, B] for the first kernel's gradient, built JS-side (no transpose op).
          for (let m = 0; m < k; m++) {
            for (let j = 0; j < B; j++) {
              const src = (m * B + j) * p;
              const dst = m * p * B + j;
              for (let c = 0; c < p; c++) xBufT[dst + c * B] = xBuf[src + c] as number;
            }
          }
          // The first layer, the widest, runs as k plain 2-D matMuls (the wasm backend's batched
          // matMul is several times slower than its 2-D path); the next layers are small.
          const xm = Array.from({ length: k }, (_, m) => tf.tensor2d(xBuf.subarray(m * B * p, (m + 1) * B * p), [B, p]));
          const xmT = Array.from({ length: k }, (_, m) => tf.tensor2d(xBufT.subarray(m * p * B, (m + 1) * p * B), [p, B]));
          const L0 = layout[0] as { kOff: number; inD: number; outD: number };
          const w0 = Array.from({ length: k }, (_, m) => thetaPiece(L0.kOff + m * p * L0.outD, [p, L0.outD]) as tf.Tensor2D);
          const yt = tf.tensor3d(yb, [k, B, 1]);
          const wt = tf.tensor3d(wb, [k, B, 1]);
          const { W, b: bias } = unpack();
          // Forward, keeping each layer's input and pre-activation.
          const ins: tf.Tensor[] = [];
          const pre: tf.Tensor[] = [];
          const drop: tf.Tensor[] = [];
          let h: tf.Tensor = xm[0] as tf.Tensor;
          let z: tf.Tensor = h;
          for (let l = 0; l < nLayers; l++) {
            ins.push(h);
            const xw = l === 0 ? tf.stack(xm.map((xx, m) => tf.matMul(xx, w0[m] as tf.Tensor2D))) : tf.matMul(h as tf.Tensor3D, W[l] as tf.Tensor3D);
            z = tf.add(xw, bias[l] as tf.Tensor3D);
            pre.push(z);
            if (l < nLayers - 1) {
              h = tf.relu(z);
              if (hiddenMask) {
                const mk = tf.tensor3d(masks[l] as Float32Array, [k, B, cfg.hidden[l] as number]);
                drop.push(mk);
                h = tf.mul(h, mk);
              }
            }
          }
          // Backward: d(weighted mean cross-entropy)/d(logit) = w · (sigmoid(z) − y).
          let g: tf.Tensor = tf.mul(tf.sub(tf.sigmoid(z), yt), wt);
          const gW: tf.Tensor[] = new Array<tf.Tensor>(nLayers);
          const gb: tf.Tensor[] = new Array<tf.Tensor>(nLayers);
          for (let l = nLayers - 1; l >= 0; l--) {
            if (l === 0) {
              const gl = g;
              const hd = L0.outD;
              const blocks = memberBlocks(gl, k, B, hd, gradScratch);
              gW[l] = tf.concat(xmT.map((xx, m) => tf.reshape(tf.matMul(xx, blocks[m] as tf.Tensor2D), [-1])));
            } else {
              gW[l] = tf.reshape(tf.matMul(tf.transpose(ins[l] as tf.Tensor3D, [0, 2, 1]), g as tf.Tensor3D), [-1]);
            }
            gb[l] = tf.reshape(tf.sum(g, 1), [-1]);
            if (l > 0) {
              g = tf.matMul(g as tf.Tensor3D, tf.transpose(W[l] as tf.Tensor3D, [0, 2, 1]));
              if (hiddenMask) g = tf.mul(g, drop[l - 1] as tf.Tensor);
              g = tf.mul(g, tf.step(pre[l - 1] as tf.Tensor));
            }
          }
          const parts: tf.Tensor[] = [];
          for (let l = 0; l < nLayers; l++) parts.push(gW[l] as tf.Tensor, gb[l] as tf.Tensor);
          const grad = tf.add(tf.concat(parts), tf.mul(theta, gradL2));
          (optimizer as tf.Optimizer).applyGradients({ [theta.name]: grad });
          // Cross-entropy from the logit: softplus(z) − y·z.
          return tf.sum(tf.mul(tf.sub(tf.softplus(z), tf.mul(yt, z)), wt), [1, 2]);
        });
        if (fitOptions.onBatchEnd !== undefined) {
          // Per member: its batch's cross-entropy (without the penalty), like the trainer's batch loss of the data term.
          const bl = stepLoss.dataSync() as Float32Array;
          for (let m = 0; m < k; m++) {
            const size = Math.min((orders[m] as Int32Array).length, (b + 1) * B) - b * B;
            if (active[m] === true && size > 0) await fitOptions.onBatchEnd(Object.freeze({ epoch, batch: b, loss: bl[m] as number, size }));
          }
        }
        const next = tf.add(lossSum, stepLoss);
        lossSum.dispose();
        stepLoss.dispose();
        lossSum = next;
      }
      const both = tf.tidy(() => tf.concat([tf.div(lossSum, nBatches), valLoss()]));
      lossSum.dispose();
      const v = both.dataSync() as Float32Array;
      both.dispose();
      const improved = new Array<boolean>(k).fill(false);
      const live: (EpochLogs | null)[] = new Array<EpochLogs | null>(k).fill(null);
      for (let m = 0; m < k; m++) {
        if (!active[m]) continue;
        const pen = v[2 * k + m] as number;
        const vl = (v[k + m] as number) + pen;
        const tl = (v[m] as number) + pen;
        if (!Number.isFinite(vl)) {
          throw new TrainingError(`buildRiskModel: the validation loss of network ${m} became ${vl} at epoch ${epoch}.`, {
            fn: 'buildRiskModel',
            arg: 'valLoss',
            expected: 'a finite validation loss',
            got: `${vl} at epoch ${epoch}`,
          });
        }
        const hist = histories[m] as { epoch: number[]; loss: number[]; valLoss: number[]; lr: number[] };
        hist.epoch.push(epoch);
        hist.loss.push(tl);
        hist.valLoss.push(vl);
        hist.lr.push(lr);
        epochsRun[m] = epoch + 1;
        // Reported per network after training (see below), so callers see each network's epochs in order.
        const log: EpochLogs = Object.freeze({ epoch, loss: tl, valLoss: vl, lr, metrics: Object.freeze({}) });
        (epochLogs[m] as EpochLogs[]).push(log);
        live[m] = log;
        if (vl < (bestLoss[m] as number)) {
          bestLoss[m] = vl;
          bestEpoch[m] = epoch;
          wait[m] = 0;
          improved[m] = true;
        } else {
          wait[m] = (wait[m] as number) + 1;
          if ((wait[m] as number) >= cfg.patience) {
            active[m] = false;
            stopReason[m] = 'earlyStopping';
          }
        }
      }
      if (improved.some(Boolean)) {
        const now = theta.dataSync() as Float32Array;
        const nb = Float32Array.from(bestValues);
        for (let j = 0; j < total; j++) if (improved[memberOf[j] as number] === true) nb[j] = now[j] as number;
        bestValues = nb;
      }
      if (onEnsembleEpochEnd !== undefined) await onEnsembleEpochEnd(Object.freeze({ epoch, members: Object.freeze(live) }));
      await yieldToEventLoop();
    }

    // Every member's best weights into its own network.
    for (let m = 0; m < k; m++) {
      const d = dense[m] as tfl.layers.Layer[];
      layout.forEach((L, l) => {
        const layer = d[l] as tfl.layers.Layer;
        const kw = layer.weights[0] as tfl.LayerVariable;
        const bw = layer.weights[1] as tfl.LayerVariable;
        const kt = tf.tensor2d(bestValues.slice(L.kOff + m * L.inD * L.outD, L.kOff + (m + 1) * L.inD * L.outD), [L.inD, L.outD], 'float32');
        const bt = tf.tensor1d(bestValues.slice(L.bOff + m * L.outD, L.bOff + (m + 1) * L.outD), 'float32');
        kw.write(kt);
        bw.write(bt);
        tf.dispose([kt, bt]);
      });
    }
    for (let m = 0; m < k; m++) {
      const hist = histories[m] as { epoch: number[]; loss: number[]; valLoss: number[]; lr: number[] };
      const history: TrainHistory = Object.freeze({ epoch: Object.freeze(hist.epoch), loss: Object.freeze(hist.loss), valLoss: Object.freeze(hist.valLoss), lr: Object.freeze(hist.lr), metrics: Object.freeze({}) });
      const training = Object.freeze({ epochs: epochsRun[m] as number, stopReason: stopReason[m] as TrainResult['stopReason'], bestEpoch: bestEpoch[m] as number | null, finalLearningRate: lr });
      const fitted = createFitted({ kind: 'NeuralClassifier', params: params[m] as NeuralParams, model: models[m] as tfl.LayersModel, inputShape: [p], classes: [0, 1], history, training }) as FittedNeuralClassifier;
      out.push(fitted);
      models[m] = null;
      if (fitOptions.onEpochEnd !== undefined) for (const log of epochLogs[m] as EpochLogs[]) await fitOptions.onEpochEnd(log);
      if (fitOptions.onTrainEnd !== undefined) {
        await fitOptions.onTrainEnd(Object.freeze({ history, epochs: training.epochs, stopReason: training.stopReason, bestEpoch: training.bestEpoch, restoredBestWeights: training.bestEpoch !== null && training.bestEpoch !== training.epochs - 1, finalLearningRate: lr, loss: 'binaryCrossentropy' }));
      }
    }
    return out;
  } catch (e) {
    out.forEach((f) => f.dispose());
    throw e;
  } finally {
    for (const mod of models) if (mod !== null) disposeModel(mod);
    optimizer?.dispose();
    tf.dispose([...vars, ...inner]);
  }
}

/**
 * The k member blocks [rows, cols] of a [k, rows, cols] tensor. On host backends they are uploaded
 * from a copy of the tensor's values in `scratch` (a wasm slice would copy the whole tensor out of
 * the heap for each member). The blocks must be disposed before `scratch` is used again.
 */
function memberBlocks(t: tf.Tensor, k: number, rows: number, cols: number, scratch: Float32Array): tf.Tensor2D[] {
  const size = rows * cols;
  if (!backendKeepsTensorsOnHost()) return Array.from({ length: k }, (_, m) => tf.reshape(tf.slice(t, [m, 0, 0], [1, rows, cols]), [rows, cols]) as tf.Tensor2D);
  scratch.set(hostView(t).subarray(0, k * size));
  return Array.from({ length: k }, (_, m) => tf.tensor2d(scratch.subarray(m * size, (m + 1) * size), [rows, cols]));
}
