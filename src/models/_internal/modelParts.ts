/**
 * Private building blocks shared by the network builders of src/models/.
 *
 * @module
 */
import { requireBackend } from '../../core/backend';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError, describeValue } from '../../core/errors';
import { resolveOptions, rules } from '../../core/options';
import type { RuleTable } from '../../core/options';
import { createRng } from '../../core/random';
import type { Rng } from '../../core/random';
import type { BuildOptions, HiddenActivation, OutputHead } from '../spec';
import { SeededDropout } from '../seededDropout';
import { registerFinmlLayers } from '../registerFinmlLayers';

/** Rules shared by every spec's regularization options. */
export const REGULARIZATION_RULES = {
  l1: rules.number({ min: 0 }),
  l2: rules.number({ min: 0 }),
  dropout: rules.custom('a number in [0, 1)', (v) => typeof v === 'number' && v >= 0 && v < 1),
} as const;

/** Defaults shared by every spec's regularization options. */
export const REGULARIZATION_DEFAULTS = { l1: 0, l2: 0, dropout: 0 } as const;

/** Hidden activations and their rule. */
export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ['relu', 'elu', 'selu', 'tanh', 'sigmoid', 'linear'];

/** A rule for an array of positive integers (layer sizes); may be empty when `allowEmpty`. */
export function sizesRule(allowEmpty: boolean): ReturnType<typeof rules.intArray> {
  return rules.intArray({ min: 1, nonEmpty: !allowEmpty });
}

/** Resolved build options. */
export interface ResolvedBuild {
  readonly inputShape: readonly number[];
  readonly head: OutputHead;
  readonly rng: Rng;
}

const BUILD_DEFAULTS: Required<BuildOptions> = { inputShape: [], head: { task: 'regression', units: 1 }, seed: 0 };

function headOk(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const h = v as Record<string, unknown>;
  const keys = Object.keys(h);
  if (!keys.every((k) => k === 'task' || k === 'units')) return false;
  const u = h.units;
  if (typeof u !== 'number' || !Number.isInteger(u) || u < 1) return false;
  if (h.task === 'binary') return u === 1;
  if (h.task === 'multiclass') return u >= 2;
  return h.task === 'regression';
}

/**
 * Validates the builder's `{ inputShape, head, seed }` and the rank the network needs, installs
 * chained ops and registers finml layers.
 * @throws {InvalidOptionError}
 */
export function resolveBuild(fn: string, opts: BuildOptions, ranks: readonly number[]): ResolvedBuild {
  requireBackend(fn);
  registerFinmlLayers();
  if (typeof opts !== 'object' || opts === null) {
    throw new InvalidOptionError({ fn, arg: 'options', expected: 'an object { inputShape, head, seed? }', got: describeValue(opts) });
  }
  const table: RuleTable<Required<BuildOptions>> = {
    inputShape: rules.intArray({ min: 1, nonEmpty: true }),
    head: rules.custom(
      "an output head { task: 'binary' (units 1) | 'multiclass' (units >= 2) | 'regression' (units >= 1), units }",
      headOk,
    ),
    seed: rules.custom('a safe integer', (v) => typeof v === 'number' && Number.isSafeInteger(v)),
  };
  if (opts.inputShape === undefined) throw new InvalidOptionError({ fn, arg: 'inputShape', expected: 'an array of positive integers', got: 'undefined' });
  if (opts.head === undefined) throw new InvalidOptionError({ fn, arg: 'head', expected: 'an output head { task, units }', got: 'undefined' });
  const o = resolveOptions(fn, opts, BUILD_DEFAULTS, table);
  if (!ranks.includes(o.inputShape.length)) {
    const expected = ranks.length === 1 && ranks[0] === 2 ? 'of rank 2: [lookback, features]' : `of rank ${ranks.join(' or ')}`;
    throw new InvalidOptionError({ fn, arg: 'inputShape', expected: `a shape ${expected}`, got: `[${o.inputShape.join(', ')}]` });
  }
  return { inputShape: [...o.inputShape], head: { task: o.head.task, units: o.head.units }, rng: createRng(o.seed) };
}

/** A seeded Glorot-uniform initializer. */
export function glorot(rng: Rng): ReturnType<typeof tfl.initializers.glorotUniform> {
  return tfl.initializers.glorotUniform({ seed: rng.seed() });
}

/** L1/L2 kernel regularizer, or undefined when both are zero. */
export function kernelRegularizer(l1: number, l2: number): ReturnType<typeof tfl.regularizers.l1l2> | undefined {
  return l1 > 0 || l2 > 0 ? tfl.regularizers.l1l2({ l1, l2 }) : undefined;
}

/** Output activation for a head. */
export function headActivation(head: OutputHead): 'sigmoid' | 'softmax' | 'linear' {
  return head.task === 'binary' ? 'sigmoid' : head.task === 'multiclass' ? 'softmax' : 'linear';
}

/** Dense layer with a seeded initializer and optional regularizer. */
export function denseLayer(units: number, activation: HiddenActivation | 'softmax', rng: Rng, l1: number, l2: number): tfl.layers.Layer {
  const reg = kernelRegularizer(l1, l2);
  return tfl.layers.dense({
    units,
    activation,
    kernelInitializer: glorot(rng),
    ...(reg === undefined ? {} : { kernelRegularizer: reg }),
  });
}

/** Output layer of a head. */
export function headLayer(head: OutputHead, rng: Rng, l1: number, l2: number): tfl.layers.Layer {
  return denseLayer(head.units, headActivation(head), rng, l1, l2);
}

/** A seeded dropout layer, or undefined when the rate is 0. */
export function dropoutLayer(rate: number, rng: Rng): tfl.layers.Layer | undefined {
  return rate > 0 ? new SeededDropout({ rate, seed: rng.seed() }) : undefined;
}

/** Builds a sequential model from layers (undefined entries skipped); the first gets the input shape. */
export function stack(inputShape: readonly number[], layers: readonly (tfl.layers.Layer | undefined)[], name: string): tfl.LayersModel {
  const model = tfl.sequential({ name: uniqueName(name) });
  model.add(tfl.layers.inputLayer({ inputShape: [...inputShape] }));
  for (const l of layers) if (l !== undefined) model.add(l);
  return model;
}

let counter = 0;
function uniqueName(prefix: string): string {
  counter += 1;
  return `finml_${prefix}_${counter}`;
}
