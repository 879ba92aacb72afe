/**
 * Deserialisers of every estimator kind in src/data/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */

/** Envelope kind → fromJSON of src/data/. */
export const DATA_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({});
