/**
 * Logistic (binary) and softmax (multiclass) regression as a one-layer network.
 *
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { flattenIfNeeded } from './_internal/flatten';
import { REGULARIZATION_DEFAULTS, REGULARIZATION_RULES, dropoutLayer, headLayer, resolveBuild, stack } from './_internal/modelParts';
import type { BuildOptions, LogisticSpec } from './spec';

/**
 * Defaults of {@link LogisticSpec}.
 * @internal
 */
export const LOGISTIC_DEFAULTS = { type: 'logistic', ...REGULARIZATION_DEFAULTS } as const satisfies Required<LogisticSpec>;

const LOGISTIC_RULES: RuleTable<Required<LogisticSpec>> = { type: rules.oneOf(['logistic']), ...REGULARIZATION_RULES };

/** Validates a LogisticSpec against its rule table and fills in defaults. @internal */
export function resolveLogisticSpec(spec: LogisticSpec, fn = 'buildLogistic'): Readonly<Required<LogisticSpec>> {
  return resolveOptions(fn, spec, LOGISTIC_DEFAULTS as Required<LogisticSpec>, LOGISTIC_RULES);
}

/**
 * Builds a logistic regression (one dense layer; sigmoid for a binary head, softmax for a
 * multiclass head). The model is not compiled (see {@link defaultLoss}).
 *
 * @param spec - `{ type: 'logistic', l1?, l2?, dropout? }`; `dropout` applies to the inputs.
 * @param options - `inputShape` `[features]`, `head` (binary or multiclass), `seed`.
 * @returns A new, uncompiled `tf.LayersModel` owned by the caller.
 * @throws {InvalidOptionError} invalid spec values, a regression head, or a bad input shape.
 * @example
 * ```ts
 * import { buildLogistic } from 'finml';
 * const m = buildLogistic({ type: 'logistic' }, { inputShape: [61], head: { task: 'binary', units: 1 }, seed: 1 });
 * ```
 * @category Models
 */
export function buildLogistic(spec: LogisticSpec, options: BuildOptions): tfl.LayersModel {
  const fn = 'buildLogistic';
  const s = resolveLogisticSpec(spec, fn);
  const b = resolveBuild(fn, options, [1, 2, 3]);
  if (b.head.task === 'regression') {
    throw new InvalidOptionError({ fn, arg: 'head', expected: "a 'binary' or 'multiclass' head (use buildLinear for regression)", got: "task 'regression'" });
  }
  return stack(b.inputShape, [...flattenIfNeeded(b.inputShape), dropoutLayer(s.dropout, b.rng), headLayer(b.head, b.rng, s.l1, s.l2)], 'logistic');
}
