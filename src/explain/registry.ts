/**
 * Deserialisers of every estimator kind in src/explain/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { kernelShapFromJSON } from './kernelShap';

/** Envelope kind → fromJSON of src/explain/. */
export const EXPLAIN_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  KernelShap: kernelShapFromJSON,
});
