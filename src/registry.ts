/**
 * The registry of every serialisable estimator kind in finml.
 *
 * @module
 */
import { SerializationError, describeValue } from './core/errors';
import { DATA_KINDS } from './data/registry';
import { MODELS_KINDS } from './models/registry';
import { GAN_KINDS } from './gan/registry';
import { EXPLAIN_KINDS } from './explain/registry';
import { SCORECARD_KINDS } from './scorecard/registry';
import { PRESETS_KINDS } from './presets/registry';

/**
 * Envelope kind → deserialiser, for every estimator in finml.
 *
 * @category Core
 */
export const ESTIMATOR_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  ...DATA_KINDS,
  ...MODELS_KINDS,
  ...GAN_KINDS,
  ...EXPLAIN_KINDS,
  ...SCORECARD_KINDS,
  ...PRESETS_KINDS,
});

/**
 * Restores any fitted finml object from its `toJSON()` envelope, dispatching on `kind`.
 *
 * @param json - A parsed `toJSON()` envelope of any finml estimator (see {@link ESTIMATOR_KINDS}).
 * @returns the restored fitted object (a Promise for neural models, presets and GANs, whose networks are rebuilt); narrow it yourself.
 * @throws {SerializationError} for a non-envelope or an unknown kind.
 * @example
 * ```ts
 * import { standardScaler, fromEstimatorJSON } from 'finml';
 * const scaler = standardScaler().fit([[1], [3]]);
 * const back = fromEstimatorJSON(JSON.parse(JSON.stringify(scaler.toJSON())));
 * ```
 * @category Core
 */
export function fromEstimatorJSON(json: unknown): unknown {
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  const f = typeof kind === 'string' ? ESTIMATOR_KINDS[kind] : undefined;
  if (f === undefined) {
    throw new SerializationError({
      fn: 'fromEstimatorJSON',
      arg: 'json.kind',
      expected: `one of ${Object.keys(ESTIMATOR_KINDS).join(', ') || '(no kinds registered)'}`,
      got: describeValue(kind),
    });
  }
  return f(json);
}
