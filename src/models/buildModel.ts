/**
 * One entry point for every network spec.
 *
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, describeValue } from '../core/errors';
import { buildCnn } from './buildCnn';
import { buildFnn } from './buildFnn';
import { buildLinear } from './buildLinear';
import { buildLogistic } from './buildLogistic';
import { buildRnn } from './buildRnn';
import type { BuildOptions, ModelSpec } from './spec';

/**
 * Builds a fresh, uncompiled `tf.LayersModel` from any {@link ModelSpec}, dispatching on
 * `spec.type` to {@link buildLinear}, {@link buildLogistic}, {@link buildFnn}, {@link buildCnn} or
 * {@link buildRnn}. Same spec, options and seed give identical initial weights.
 *
 * @param spec - The network spec.
 * @param options - `{ inputShape, head, seed? }`.
 * @returns A new model owned by the caller (dispose with {@link disposeModel}); compile it with
 *   the loss of {@link defaultLoss} (the trainer does).
 * @throws {InvalidOptionError} unknown `type` or any invalid spec/build option.
 * @example
 * ```ts
 * import { buildModel, defaultLoss } from 'finml';
 * const model = buildModel({ type: 'fnn', hidden: [32] },
 *   { inputShape: [61], head: { task: 'binary', units: 1 }, seed: 42 });
 * model.compile({ optimizer: 'adam', loss: defaultLoss({ task: 'binary', units: 1 }) });
 * ```
 * @category Models
 */
export function buildModel(spec: ModelSpec, options: BuildOptions): tfl.LayersModel {
  const type = typeof spec === 'object' && spec !== null ? (spec as { type?: unknown }).type : undefined;
  switch (type) {
    case 'linear':
      return buildLinear(spec as Extract<ModelSpec, { type: 'linear' }>, options);
    case 'logistic':
      return buildLogistic(spec as Extract<ModelSpec, { type: 'logistic' }>, options);
    case 'fnn':
      return buildFnn(spec as Extract<ModelSpec, { type: 'fnn' }>, options);
    case 'cnn':
      return buildCnn(spec as Extract<ModelSpec, { type: 'cnn' }>, options);
    case 'rnn':
      return buildRnn(spec as Extract<ModelSpec, { type: 'rnn' }>, options);
    default:
      throw new InvalidOptionError({
        fn: 'buildModel',
        arg: 'type',
        expected: "one of 'linear', 'logistic', 'fnn', 'cnn', 'rnn'",
        got: typeof spec === 'object' && spec !== null ? describeValue(type) : describeValue(spec),
      });
  }
}
