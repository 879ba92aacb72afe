/**
 * Transfer learning: start from a fitted neural model, freeze some layers, optionally replace the
 * output head, and train the rest on new data.
 *
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, ShapeError, describeValue } from '../core/errors';
import { notFitted } from '../core/estimator';
import { resolveOptions, rules, type RuleTable } from '../core/options';
import { buildModel } from './buildModel';
import { disposeModel } from './disposeModel';
import { exportModel, importModel } from '../io/_internal/modelArtifacts';
import type { NeuralInput, NeuralTarget } from '../train/_internal/neuralData';
import {
  fitNeural,
  internalsOf,
  resolveNeuralParams,
  type FittedNeuralClassifier,
  type FittedNeuralModel,
  type FittedNeuralRegressor,
  type NeuralFitOptions,
  type NeuralKind,
  type NeuralParams,
  type NeuralTrainParams,
} from './neuralModel';

/** Options of {@link transferFrom}. @category Training */
export interface TransferOptions {
  /**
   * Layers kept fixed during training: the first N layers that have weights, a list of layer names
   * of the source network, or `'allButHead'` (every layer except the output layer).
   * @defaultValue 'allButHead'
   */
  readonly freeze: number | readonly string[] | 'allButHead';
  /**
   * Replace the output layer by a fresh, seeded one sized from the new data (new classes or a new
   * horizon). With `false` the trained head is kept and the new labels must be among the source's classes.
   * @defaultValue true
   */
  readonly newHead: boolean;
  /** Trainer options (JSON) for the new training; default: the source's. */
  readonly train: Partial<NeuralTrainParams> | null;
  /** Seed of the new head and of shuffling; default: the source's seed. */
  readonly seed: number | null;
}

const TRANSFER_DEFAULTS: TransferOptions = Object.freeze({ freeze: 'allButHead', newHead: true, train: null, seed: null });

const TRANSFER_RULES: RuleTable<TransferOptions> = {
  freeze: rules.custom(
    "an integer >= 0, an array of layer names or 'allButHead'",
    (v) => v === 'allButHead' || (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (Array.isArray(v) && v.every((s) => typeof s === 'string')),
  ),
  newHead: rules.boolean(),
  train: rules.custom('null or a trainer options object', (v) => v === null || (typeof v === 'object' && !Array.isArray(v))),
  seed: rules.custom('null or a safe integer', (v) => v === null || (typeof v === 'number' && Number.isSafeInteger(v))),
};

/** An unfitted transfer-learning spec returned by {@link transferFrom}. @category Training */
export interface TransferEstimator<K extends NeuralKind> {
  readonly kind: K;
  /** The params of the resulting model (source network spec, new train options and seed). */
  readonly params: Readonly<NeuralParams>;
  readonly transfer: Readonly<TransferOptions>;
  /** Copies the source network, freezes layers, (optionally) attaches a new head and trains. */
  fit(x: NeuralInput, y: NeuralTarget, options?: NeuralFitOptions): Promise<K extends 'NeuralClassifier' ? FittedNeuralClassifier : FittedNeuralRegressor>;
  /** Not available before `fit`: throws NotFittedError. */
  readonly predict: (...args: never[]) => never;
}

/** Indices (into model.layers) of the layers to freeze. */
function frozenIndices(layers: readonly tfl.layers.Layer[], freeze: TransferOptions['freeze'], fn: string): Set<number> {
  const out = new Set<number>();
  if (freeze === 'allButHead') {
    for (let i = 0; i < layers.length - 1; i++) out.add(i);
    return out;
  }
  if (typeof freeze === 'number') {
    const weighted = layers.map((l, i) => (l.weights.length > 0 ? i : -1)).filter((i) => i >= 0);
    if (freeze > weighted.length) {
      throw new InvalidOptionError({ fn, arg: 'freeze', expected: `at most ${weighted.length} (the number of layers with weights)`, got: describeValue(freeze) });
    }
    for (const i of weighted.slice(0, freeze)) out.add(i);
    return out;
  }
  const names = layers.map((l) => l.name);
  for (const name of freeze) {
    const i = names.indexOf(name);
    if (i < 0) {
      throw new InvalidOptionError({ fn, arg: 'freeze', expected: `layer names of the source network (${names.map((n) => `'${n}'`).join(', ')})`, got: describeValue(name) });
    }
    out.add(i);
  }
  return out;
}

/**
 * Transfer learning from a fitted neural model. The returned spec's `fit(x, y)` copies the source
 * network (the source is never modified), freezes the chosen layers (their weights stay exactly as
 * in the source), optionally replaces the output layer with a fresh seeded one sized from the new
 * targets (e.g. a different number of classes), and trains the remaining layers with
 * {@link trainModel}. The frozen flags are stored in the result's topology, so a later `update`
 * keeps them frozen.
 *
 * @param source - A fitted classifier or regressor (not disposed).
 * @param options - `{ freeze, newHead, train, seed }`, see {@link TransferOptions}.
 * @returns an unfitted spec of the same kind as `source`.
 * @throws {InvalidOptionError} invalid options, unknown layer names, freezing more layers than exist.
 * @throws {DisposedError} when `source` is disposed (at call or at fit time).
 * @throws {ShapeError} at fit, when x does not match the source's input shape.
 * @example
 * ```ts
 * import { createRng, neuralClassifier, transferFrom } from 'finml';
 * const rng = createRng(1);
 * const make = (n: number) => Array.from({ length: n }, () => [rng.normal(), rng.normal(), rng.normal()]);
 * const xBig = make(400); // a large related portfolio
 * const yBig = xBig.map((r) => ((r[0] ?? 0) + (r[1] ?? 0) > 0 ? 1 : 0));
 * const xSmall = make(40); // the small target portfolio
 * const ySmall = xSmall.map((r) => ((r[0] ?? 0) + 0.5 * (r[2] ?? 0) > 0 ? 1 : 0));
 * const base = await neuralClassifier({ model: { type: 'fnn', hidden: [32, 16] }, seed: 1 }).fit(xBig, yBig);
 * const tuned = await transferFrom(base, { freeze: 2, newHead: true, train: { epochs: 10 } }).fit(xSmall, ySmall);
 * base.dispose(); tuned.dispose();
 * ```
 * @category Training
 */
export function transferFrom<F extends FittedNeuralModel>(
  source: F,
  options?: Partial<TransferOptions>,
): TransferEstimator<F['kind']> {
  const fn = 'transferFrom';
  const o = resolveOptions(fn, options, TRANSFER_DEFAULTS, TRANSFER_RULES);
  const src = internalsOf(source, fn);
  // Resolved against the source now (names are the source's layer names), so mistakes surface
  // before any training; the copy has the same layer order, so indices carry over.
  const frozen = frozenIndices(src.model.layers, o.freeze, fn);
  const kind = source.kind as F['kind'];
  const params = resolveNeuralParams(fn, {
    model: source.params.model,
    train: o.train ?? source.params.train,
    seed: o.seed ?? source.params.seed,
  });
  const transfer = Object.freeze({ ...o, freeze: typeof o.freeze === 'object' ? Object.freeze([...o.freeze]) : o.freeze });
  const inputShape = source.inputShape;

  const build = async (shape: readonly number[], head: { task: 'binary' | 'multiclass' | 'regression'; units: number }, seed: number): Promise<tfl.LayersModel> => {
    const live = internalsOf(source, `${fn} (fit)`);
    if (shape.length !== inputShape.length || shape.some((d, i) => d !== inputShape[i])) {
      throw new ShapeError({ fn: `${fn} (fit)`, arg: 'x', expected: `rows of shape [${inputShape.join(', ')}] (the source model's input)`, got: `rows of shape [${shape.join(', ')}]` });
    }
    const srcLayers = live.model.layers;
    let model: tfl.LayersModel;
    if (o.newHead) {
      model = buildModel(source.params.model, { inputShape: [...shape], head, seed });
      try {
        if (model.layers.length !== srcLayers.length) {
          throw new ShapeError({ fn: `${fn} (fit)`, arg: 'source', expected: `a network of ${model.layers.length} layers`, got: `${srcLayers.length} layers` });
        }
        for (let i = 0; i < srcLayers.length - 1; i++) (model.layers[i] as tfl.layers.Layer).setWeights((srcLayers[i] as tfl.layers.Layer).getWeights());
      } catch (e) {
        disposeModel(model);
        throw e;
      }
    } else {
      model = await importModel(exportModel(live.model), fn, 'source');
    }
    model.layers.forEach((l, i) => {
      if (frozen.has(i)) l.trainable = false;
    });
    return model;
  };

  const spec: TransferEstimator<F['kind']> = {
    kind,
    params,
    transfer,
    fit: (async (x: NeuralInput, y: NeuralTarget, fitOptions: NeuralFitOptions = {}) =>
      fitNeural(kind, params, x, y, fitOptions, build, `${fn}.fit`, o.newHead ? null : src.classes)) as TransferEstimator<F['kind']>['fit'],
    predict: notFitted(kind, 'predict'),
  };
  return Object.freeze(spec);
}
