/**
 * Linear regression as a one-layer network.
 *
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import { REGULARIZATION_DEFAULTS, REGULARIZATION_RULES, dropoutLayer, headLayer, resolveBuild, stack } from './_internal/modelParts';
import { flattenIfNeeded } from './_internal/flatten';
import type { BuildOptions, LinearSpec } from './spec';

/**
 * Defaults of {@link LinearSpec}.
 * @internal
 */
export const LINEAR_DEFAULTS = { type: 'linear', ...REGULARIZATION_DEFAULTS } as const satisfies Required<LinearSpec>;

const LINEAR_RULES: RuleTable<Required<LinearSpec>> = { type: rules.oneOf(['linear']), ...REGULARIZATION_RULES };

/** Validates a LinearSpec against its rule table and fills in defaults. @internal */
export function resolveLinearSpec(spec: LinearSpec, fn = 'buildLinear'): Readonly<Required<LinearSpec>> {
  return resolveOptions(fn, spec, LINEAR_DEFAULTS as Required<LinearSpec>, LINEAR_RULES);
}

/**
 * Builds a linear model (a single dense layer with identity link, optionally after input
 * dropout) for a regression head. The model is not compiled (see {@link defaultLoss}).
 *
 * @param spec - `{ type: 'linear', l1?, l2?, dropout? }`; `dropout` applies to the inputs.
 * @param options - `inputShape` `[features]` (higher ranks are flattened), `head` (regression), `seed`.
 * @returns A new, uncompiled `tf.LayersModel` owned by the caller (dispose with {@link disposeModel}).
 * @throws {InvalidOptionError} invalid spec values, a non-regression head, or a bad input shape.
 * @example
 * ```ts
 * import { buildLinear } from 'finml';
 * const m = buildLinear({ type: 'linear', l2: 1e-3 }, { inputShape: [4], head: { task: 'regression', units: 1 }, seed: 1 });
 * m.outputs[0]?.shape; //=> [null, 1]
 * ```
 * @category Models
 */
export function buildLinear(spec: LinearSpec, options: BuildOptions): tfl.LayersModel {
  const fn = 'buildLinear';
  const s = resolveLinearSpec(spec, fn);
  const b = resolveBuild(fn, options, [1, 2, 3]);
  if (b.head.task !== 'regression') {
    throw new InvalidOptionError({ fn, arg: 'head', expected: "a regression head (use buildLogistic for 'binary'/'multiclass')", got: `task '${b.head.task}'` });
  }
  return stack(b.inputShape, [...flattenIfNeeded(b.inputShape), dropoutLayer(s.dropout, b.rng), headLayer(b.head, b.rng, s.l1, s.l2)], 'linear');
}
