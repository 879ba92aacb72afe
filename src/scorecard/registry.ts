/**
 * Deserialisers of every estimator kind in src/scorecard/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { scorecardFromJSON } from './scorecard';
import { woeBinningFromJSON } from './woeBinning';

/** Envelope kind → fromJSON of src/scorecard/. */
export const SCORECARD_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  WoeBinning: woeBinningFromJSON,
  Scorecard: scorecardFromJSON,
});
