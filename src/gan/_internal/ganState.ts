/** Private: serialised state shared by the GAN estimators (network weights, quantile tables). */
import * as tf from '@tensorflow/tfjs-core';
import { SerializationError, describeValue } from '../../core/errors';
import { readNumberArray } from '../../core/estimator';
import type { Gan } from '../buildGan';
import type { QuantileTable } from './ganQuantile';

/** A network's weights as JSON numbers, one array per weight tensor. */
export function weightsOf(model: Gan['generator']): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

function readWeights(state: unknown, field: string, fn: string, model: Gan['generator']): tf.Tensor[] {
  const v = typeof state === 'object' && state !== null ? (state as Record<string, unknown>)[field] : undefined;
  const shapes = model.getWeights().map((w) => w.shape);
  if (!Array.isArray(v) || v.length !== shapes.length) {
    throw new SerializationError({ fn, arg: `state.${field}`, expected: `an array of ${shapes.length} weight arrays`, got: describeValue(v) });
  }
  const out: tf.Tensor[] = [];
  try {
    shapes.forEach((shape, i) => {
      const w = readNumberArray(v, String(i), fn, { length: shape.reduce((a, b) => a * b, 1) });
      out.push(tf.tensor(w, shape, 'float32'));
    });
  } catch (e) {
    tf.dispose(out);
    throw e;
  }
  return out;
}

/** Loads `state.generator` and `state.discriminator` into the GAN's networks (SerializationError when malformed; the caller disposes the GAN). */
export function loadGanWeights(gan: Gan, state: unknown, fn: string): void {
  for (const [field, model] of [['generator', gan.generator], ['discriminator', gan.discriminator]] as const) {
    const ws = readWeights(state, field, fn, model);
    try {
      model.setWeights(ws);
    } finally {
      tf.dispose(ws);
    }
  }
}

/** A quantile table as JSON values. */
export function quantileTableToJSON(t: QuantileTable): { values: number[]; cdf: number[]; interpolate: boolean } {
  return { values: [...t.values], cdf: [...t.cdf], interpolate: t.interpolate };
}

/** Reads and checks a serialised quantile table (increasing values and cdf ending at 1, boolean interpolate). */
export function readQuantileTable(t: unknown, arg: string, fn: string): QuantileTable {
  const values = readNumberArray(t, 'values', fn);
  const cdf = readNumberArray(t, 'cdf', fn, { length: values.length });
  const interpolate = typeof t === 'object' && t !== null ? (t as Record<string, unknown>).interpolate : undefined;
  const increasing = (a: readonly number[]): boolean => a.every((x, i) => i === 0 || x > (a[i - 1] as number));
  if (values.length === 0 || typeof interpolate !== 'boolean' || !increasing(values) || !increasing(cdf) || cdf[cdf.length - 1] !== 1 || (cdf[0] as number) < 0) {
    throw new SerializationError({ fn, arg, expected: 'increasing values and cdf (ending at 1), boolean interpolate', got: describeValue(t) });
  }
  return Object.freeze({ values: Object.freeze([...values]), cdf: Object.freeze([...cdf]), interpolate });
}
