/**
 * Deserialisers of every estimator kind in src/models/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { tabularGanFromJSON } from './tabularGan';

/**
 * Envelope kind → fromJSON of src/models/.
 * @example
 * ```ts
 * import { MODELS_KINDS } from 'finml';
 * Object.keys(MODELS_KINDS); //=> ['TabularGan']
 * const fromJSON = MODELS_KINDS.TabularGan; // (json: unknown) => unknown, e.g. tabularGanFromJSON
 * ```
 * @category Models
 */
export const MODELS_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  TabularGan: tabularGanFromJSON,
});
