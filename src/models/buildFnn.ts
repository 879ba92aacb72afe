/**
 * Feed-forward (dense) networks.
 *
 * @module
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { flattenIfNeeded } from './_internal/flatten';
import {
  HIDDEN_ACTIVATIONS,
  REGULARIZATION_DEFAULTS,
  REGULARIZATION_RULES,
  denseLayer,
  dropoutLayer,
  headLayer,
  resolveBuild,
  sizesRule,
  stack,
} from './_internal/modelParts';
import type { BuildOptions, FnnSpec } from './spec';

/**
 * Defaults of {@link FnnSpec}.
 * @internal
 */
export const FNN_DEFAULTS = {
  type: 'fnn',
  hidden: [32, 16],
  activation: 'relu',
  batchNorm: false,
  ...REGULARIZATION_DEFAULTS,
} as const satisfies Required<FnnSpec>;

const FNN_RULES: RuleTable<Required<FnnSpec>> = {
  type: rules.oneOf(['fnn']),
  hidden: sizesRule(true),
  activation: rules.oneOf(HIDDEN_ACTIVATIONS),
  batchNorm: rules.boolean(),
  ...REGULARIZATION_RULES,
};

/** Validates a FnnSpec against its rule table and fills in defaults. @internal */
export function resolveFnnSpec(spec: FnnSpec, fn = 'buildFnn'): Readonly<Required<FnnSpec>> {
  return resolveOptions(fn, spec, FNN_DEFAULTS as Required<FnnSpec>, FNN_RULES);
}

/**
 * Builds a feed-forward network: for each hidden size a dense layer (seeded Glorot init, L1/L2
 * kernel penalty), optional batch normalization, the activation and seeded dropout; then the
 * output layer of the head (sigmoid / softmax / linear). Not compiled (see {@link defaultLoss}).
 *
 * @param spec - `{ type: 'fnn', hidden?: [32, 16], activation?: 'relu', batchNorm?: false, l1?, l2?, dropout? }`.
 * @param options - `inputShape` `[features]` (higher ranks are flattened), `head`, `seed`.
 * @returns A new, uncompiled `tf.LayersModel` owned by the caller.
 * @throws {InvalidOptionError} negative/zero units, dropout outside [0, 1), unknown activation, bad head or shape.
 * @example
 * ```ts
 * import { buildFnn } from 'finml';
 * const m = buildFnn({ type: 'fnn', hidden: [16], dropout: 0.1 },
 *   { inputShape: [61], head: { task: 'binary', units: 1 }, seed: 42 });
 * m.layers.length; //=> 3
 * ```
 * @category Models
 */
export function buildFnn(spec: FnnSpec, options: BuildOptions): tfl.LayersModel {
  const fn = 'buildFnn';
  const s = resolveFnnSpec(spec, fn);
  const b = resolveBuild(fn, options, [1, 2, 3]);
  const layers: (tfl.layers.Layer | undefined)[] = [...flattenIfNeeded(b.inputShape)];
  for (const units of s.hidden) {
    if (s.batchNorm) {
      layers.push(denseLayer(units, 'linear', b.rng, s.l1, s.l2));
      layers.push(tfl.layers.batchNormalization());
      layers.push(tfl.layers.activation({ activation: s.activation }));
    } else {
      layers.push(denseLayer(units, s.activation, b.rng, s.l1, s.l2));
    }
    layers.push(dropoutLayer(s.dropout, b.rng));
  }
  layers.push(headLayer(b.head, b.rng, s.l1, s.l2));
  return stack(b.inputShape, layers, 'fnn');
}
