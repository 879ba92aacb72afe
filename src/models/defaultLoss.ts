/**
 * The loss that matches an output head.
 *
 * @module
 */
import { InvalidOptionError, describeValue } from '../core/errors';
import type { OutputHead } from './spec';

/**
 * tfjs loss names returned by {@link defaultLoss}.
 *
 * @category Models
 */
export type DefaultLossName = 'binaryCrossentropy' | 'categoricalCrossentropy' | 'meanSquaredError';

/**
 * The loss a builder's output layer is meant for: binary cross-entropy for a sigmoid (binary)
 * head, categorical cross-entropy for a softmax (multiclass) head (targets one-hot), mean squared
 * error for a linear (regression) head.
 *
 * @param head - The output head passed to the builder.
 * @returns A tfjs loss name, usable in `model.compile({ loss })`.
 * @throws {InvalidOptionError} for an unknown task.
 * @example
 * ```ts
 * import { defaultLoss } from 'finml';
 * defaultLoss({ task: 'binary', units: 1 }); //=> 'binaryCrossentropy'
 * ```
 * @category Models
 */
export function defaultLoss(head: OutputHead): DefaultLossName {
  const task = typeof head === 'object' && head !== null ? (head as { task?: unknown }).task : undefined;
  if (task === 'binary') return 'binaryCrossentropy';
  if (task === 'multiclass') return 'categoricalCrossentropy';
  if (task === 'regression') return 'meanSquaredError';
  throw new InvalidOptionError({ fn: 'defaultLoss', arg: 'task', expected: "one of 'binary', 'multiclass', 'regression'", got: describeValue(task) });
}
