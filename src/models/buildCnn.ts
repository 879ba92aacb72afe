/**
 * 1-D convolutional networks over windows `[lookback, features]`.
 *
 * @module
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidOptionError } from '../core/errors';
import { resolveOptions, rules } from '../core/options';
import type { RuleTable } from '../core/options';
import {
  REGULARIZATION_DEFAULTS,
  REGULARIZATION_RULES,
  denseLayer,
  dropoutLayer,
  headLayer,
  resolveBuild,
  sizesRule,
  stack,
} from './_internal/modelParts';
import { PortableConv1D, conv1dOutputLength } from './portableConv1d';
import type { BuildOptions, CnnSpec } from './spec';

/**
 * Defaults of {@link CnnSpec}.
 * @internal
 */
export const CNN_DEFAULTS = {
  type: 'cnn',
  filters: [16],
  kernelSize: 3,
  poolSize: 1,
  dense: [],
  activation: 'relu',
  padding: 'valid',
  dilation: 1,
  strides: 1,
  ...REGULARIZATION_DEFAULTS,
} as const satisfies Required<CnnSpec>;

const CNN_RULES: RuleTable<Required<CnnSpec>> = {
  type: rules.oneOf(['cnn']),
  filters: sizesRule(false),
  kernelSize: rules.int({ min: 1 }),
  poolSize: rules.int({ min: 1 }),
  dense: sizesRule(true),
  activation: rules.oneOf(['relu', 'elu', 'tanh']),
  padding: rules.oneOf(['valid', 'same', 'causal']),
  dilation: rules.int({ min: 1 }),
  strides: rules.int({ min: 1 }),
  ...REGULARIZATION_RULES,
};

/** Validates a CnnSpec against its rule table and fills in defaults. @internal */
export function resolveCnnSpec(spec: CnnSpec, fn = 'buildCnn'): Readonly<Required<CnnSpec>> {
  return resolveOptions(fn, spec, CNN_DEFAULTS as Required<CnnSpec>, CNN_RULES);
}

/**
 * Builds a 1-D CNN over windows `[lookback, features]`: for each entry of `filters` a
 * {@link PortableConv1D} (trains on every backend, wasm included; `strides` > 1 downsamples the
 * sequence like a Keras `Conv1D` with `strides`), the activation, max pooling
 * when `poolSize > 1`, and seeded dropout; then flatten, the `dense` layers and the head's output
 * layer. Not compiled (see {@link defaultLoss}).
 *
 * @param spec - `{ type: 'cnn', filters?: [16], kernelSize?: 3, poolSize?: 1, dense?: [], activation?: 'relu', padding?: 'valid', dilation?: 1, strides?: 1, l1?, l2?, dropout? }`.
 * @param options - `inputShape` `[lookback, features]`, `head`, `seed`.
 * @returns A new, uncompiled `tf.LayersModel` owned by the caller.
 * @throws {InvalidOptionError} invalid spec values, an input shape not of rank 2, or a lookback
 *   too short for the convolutions and pooling.
 * @example
 * ```ts
 * import { buildCnn } from 'finml';
 * const m = buildCnn({ type: 'cnn', filters: [8], kernelSize: 3 },
 *   { inputShape: [20, 4], head: { task: 'regression', units: 1 }, seed: 7 });
 * const strided = buildCnn({ type: 'cnn', filters: [8, 8], kernelSize: 3, strides: 2, padding: 'same' },
 *   { inputShape: [20, 4], head: { task: 'regression', units: 1 }, seed: 7 });
 * strided.layers[3]?.outputShape; //=> [null, 5, 8]
 * ```
 * @category Models
 */
export function buildCnn(spec: CnnSpec, options: BuildOptions): tfl.LayersModel {
  const fn = 'buildCnn';
  const s = resolveCnnSpec(spec, fn);
  const b = resolveBuild(fn, options, [2]);
  let steps = b.inputShape[0] as number;
  const layers: (tfl.layers.Layer | undefined)[] = [];
  for (const filters of s.filters) {
    const out = conv1dOutputLength(steps, s.kernelSize, s.dilation, s.padding, s.strides);
    const pooled = s.poolSize > 1 ? Math.floor(out / s.poolSize) : out;
    if (pooled < 1) {
      throw new InvalidOptionError({
        fn,
        arg: 'inputShape',
        expected: `a lookback long enough for ${s.filters.length} conv block(s) with kernelSize ${s.kernelSize}, dilation ${s.dilation}, strides ${s.strides}, poolSize ${s.poolSize} and padding '${s.padding}'`,
        got: `lookback ${b.inputShape[0] as number}`,
      });
    }
    layers.push(
      new PortableConv1D({
        filters,
        kernelSize: s.kernelSize,
        dilationRate: s.dilation,
        strides: s.strides,
        padding: s.padding,
        seed: b.rng.seed(),
        l1: s.l1,
        l2: s.l2,
      }),
    );
    layers.push(tfl.layers.activation({ activation: s.activation }));
    if (s.poolSize > 1) layers.push(tfl.layers.maxPooling1d({ poolSize: s.poolSize }));
    layers.push(dropoutLayer(s.dropout, b.rng));
    steps = pooled;
  }
  layers.push(tfl.layers.flatten());
  for (const units of s.dense) {
    layers.push(denseLayer(units, s.activation, b.rng, s.l1, s.l2));
    layers.push(dropoutLayer(s.dropout, b.rng));
  }
  layers.push(headLayer(b.head, b.rng, s.l1, s.l2));
  return stack(b.inputShape, layers, 'cnn');
}
