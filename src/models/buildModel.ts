/**
 * One entry point for every network spec.
 *
 * @module
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, describeValue } from '../core/errors';
import { buildCnn, resolveCnnSpec } from './buildCnn';
import { buildFnn, resolveFnnSpec } from './buildFnn';
import { buildLinear, resolveLinearSpec } from './buildLinear';
import { buildLogistic, resolveLogisticSpec } from './buildLogistic';
import { buildRnn, resolveRnnSpec } from './buildRnn';
import type { BuildOptions, CnnSpec, FnnSpec, LinearSpec, LogisticSpec, ModelSpec, RnnSpec } from './spec';

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

/**
 * Validates a network spec (its `type` and every option of that type) without building anything,
 * so that estimators can reject bad specs when they are created rather than at `fit`.
 *
 * @param spec - Any {@link ModelSpec}.
 * @param fn - The public function to name in errors.
 * @throws {InvalidOptionError} unknown type or an invalid option, named.
 * @example
 * ```ts
 * import { validateModelSpec } from 'finml';
 * validateModelSpec({ type: 'fnn', hidden: [16] }, 'myFactory'); // ok
 * // validateModelSpec({ type: 'fnn', hidden: [0] }, 'myFactory') throws InvalidOptionError
 * ```
 * @category Models
 */
export function validateModelSpec(spec: ModelSpec, fn: string): void {
  const type = typeof spec === 'object' && spec !== null ? (spec as { type?: unknown }).type : undefined;
  switch (type) {
    case 'linear':
      resolveLinearSpec(spec as LinearSpec, fn);
      return;
    case 'logistic':
      resolveLogisticSpec(spec as LogisticSpec, fn);
      return;
    case 'fnn':
      resolveFnnSpec(spec as FnnSpec, fn);
      return;
    case 'cnn':
      resolveCnnSpec(spec as CnnSpec, fn);
      return;
    case 'rnn':
      resolveRnnSpec(spec as RnnSpec, fn);
      return;
    default:
      throw new InvalidOptionError({ fn, arg: 'model.type', expected: "one of 'linear', 'logistic', 'fnn', 'cnn', 'rnn'", got: describeValue(type) });
  }
}
