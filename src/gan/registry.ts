/**
 * Deserialisers of every estimator kind in src/gan/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { returnsGanFromJSON } from './ganReturns';
import { tabularGanFromJSON } from './tabularGan';

/** Envelope kind → fromJSON of src/gan/. */
export const GAN_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  TabularGan: tabularGanFromJSON,
  ReturnsGan: returnsGanFromJSON,
});
