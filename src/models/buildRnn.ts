/**
 * Recurrent networks (SimpleRNN, LSTM, GRU) over windows `[lookback, features]`.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import type { Rng } from '../core/random';
import {
  REGULARIZATION_DEFAULTS,
  REGULARIZATION_RULES,
  denseLayer,
  dropoutLayer,
  glorot,
  headLayer,
  kernelRegularizer,
  resolveBuild,
  sizesRule,
  stack,
} from './_internal/modelParts';
import { maskSeed } from './seededDropout';
import type { BuildOptions, RnnSpec } from './spec';

/**
 * Defaults of {@link RnnSpec}.
 * @internal
 */
export const RNN_DEFAULTS = {
  type: 'rnn',
  cell: 'lstm',
  units: [32],
  recurrentDropout: 0,
  dense: [],
  ...REGULARIZATION_DEFAULTS,
} as const satisfies Required<RnnSpec>;

const RNN_RULES: RuleTable<Required<RnnSpec>> = {
  type: rules.oneOf(['rnn']),
  cell: rules.oneOf(['simple', 'lstm', 'gru']),
  units: sizesRule(false),
  recurrentDropout: REGULARIZATION_RULES.dropout,
  dense: sizesRule(true),
  ...REGULARIZATION_RULES,
};

/** Largest recurrent kernel initialised orthogonally (tfjs warns and slows down above it). */
const ORTHOGONAL_MAX_ELEMENTS = 2000;

function recurrentLayer(cell: 'simple' | 'lstm' | 'gru', units: number, returnSequences: boolean, recurrentDropout: number, rng: Rng, l1: number, l2: number): tfl.layers.Layer {
  const gates = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const recurrentInitializer =
    units * units * gates <= ORTHOGONAL_MAX_ELEMENTS ? tfl.initializers.orthogonal({ seed: rng.seed(), gain: 1 }) : glorot(rng);
  const reg = kernelRegularizer(l1, l2);
  const maskBase = rng.seed();
  let calls = 0;
  const dropoutFunc = (x: tf.Tensor, rate: number): tf.Tensor => {
    const t = tf.dropout(x, rate, undefined, maskSeed(maskBase, calls));
    calls += 1;
    return t;
  };
  const args = {
    units,
    returnSequences,
    kernelInitializer: glorot(rng),
    recurrentInitializer,
    ...(reg === undefined ? {} : { kernelRegularizer: reg }),
    ...(recurrentDropout > 0 ? { recurrentDropout, dropoutFunc } : {}),
  };
  if (cell === 'lstm') return tfl.layers.lstm(args);
  if (cell === 'gru') return tfl.layers.gru(args);
  return tfl.layers.simpleRNN(args);
}

/** Validates a RnnSpec against its rule table and fills in defaults. @internal */
export function resolveRnnSpec(spec: RnnSpec, fn = 'buildRnn'): Readonly<Required<RnnSpec>> {
  return resolveOptions(fn, spec, RNN_DEFAULTS as Required<RnnSpec>, RNN_RULES);
}

/**
 * Builds a recurrent network: stacked SimpleRNN/LSTM/GRU layers (`returnSequences` on all but the
 * last), seeded initializers (orthogonal recurrent kernels when small, Glorot otherwise), seeded
 * recurrent dropout and dropout between layers, then the `dense` layers (relu) and the head.
 * Not compiled (see {@link defaultLoss}). Recurrent-dropout masks are seeded only in the built
 * model; a model reloaded from disk draws them from tfjs's default generator.
 *
 * @param spec - `{ type: 'rnn', cell?: 'lstm', units?: [32], recurrentDropout?: 0, dense?: [], l1?, l2?, dropout? }`.
 * @param options - `inputShape` `[lookback, features]`, `head`, `seed`.
 * @returns A new, uncompiled `tf.LayersModel` owned by the caller.
 * @throws {InvalidOptionError} invalid spec values or an input shape not of rank 2.
 * @example
 * ```ts
 * import { buildRnn } from 'finml';
 * const m = buildRnn({ type: 'rnn', cell: 'gru', units: [16, 8] },
 *   { inputShape: [30, 1], head: { task: 'regression', units: 1 }, seed: 3 });
 * ```
 * @category Models
 */
export function buildRnn(spec: RnnSpec, options: BuildOptions): tfl.LayersModel {
  const fn = 'buildRnn';
  const s = resolveRnnSpec(spec, fn);
  const b = resolveBuild(fn, options, [2]);
  const layers: (tfl.layers.Layer | undefined)[] = [];
  s.units.forEach((units, i) => {
    layers.push(recurrentLayer(s.cell, units, i < s.units.length - 1, s.recurrentDropout, b.rng, s.l1, s.l2));
    layers.push(dropoutLayer(s.dropout, b.rng));
  });
  for (const units of s.dense) {
    layers.push(denseLayer(units, 'relu', b.rng, s.l1, s.l2));
    layers.push(dropoutLayer(s.dropout, b.rng));
  }
  layers.push(headLayer(b.head, b.rng, s.l1, s.l2));
  return stack(b.inputShape, layers, 'rnn');
}
