/**
 * Building blocks for writing your own estimator, transformer, metric or executor task in the
 * house style: declarative option validation, input normalisation, the serialization envelope,
 * memory helpers and typed error messages. Everyday use of finml never needs this entry point;
 * the rest of the public API is in `finml` and its area subpaths.
 *
 * @module finml/extend
 */
export { resolveOptions, rules, invalidValueFor } from '../core/options';
export type { Rule, Bounds, RuleTable } from '../core/options';
export { describeValue } from '../core/errors';
export { isTensor, toDense, toVector, denseLike, takeDenseRows } from '../core/matrix';
export type { CheckOptions } from '../core/matrix';
export { notFitted, checkEnvelope, readNumberArray, deepFreeze, paramsFromJSON } from '../core/estimator';
export { asyncTidy } from '../core/memory';
export { ensureChainedOps } from '../core/chainedOps';
export { checkExecutor } from '../core/executor';
export { requireBackend } from '../core/backend';
