import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import { PortableConv1D, SeededDropout, portableConv1d } from '../../src/models/index';
import { conv1dOutputLength } from '../../src/models/portableConv1d';
import { maskSeed } from '../../src/models/seededDropout';
import { bceWithLogits } from '../../src/gan/trainGan';
import type { Conv1DPadding } from '../../src/models/index';
import { expectClose, expectNoLeak } from '../helpers/leak';

/** Mean binary cross-entropy of sigmoid(z) against label y, in float64 (independent reference). */
function bceRef(z: readonly number[], y: number): number {
  let s = 0;
  for (const v of z) {
    // -y log σ(z) - (1 - y) log(1 - σ(z)) = y·softplus(-z) + (1 - y)·softplus(z)
    const softplus = (t: number): number => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
    s += y * softplus(-v) + (1 - y) * softplus(v);
  }
  return s / z.length;
}

describe('bceWithLogits', () => {
  it('equals the float64 cross-entropy of sigmoid(logits), for labels 0, 1 and smoothed 0.9', () => {
    const z = [-3, -0.5, 0, 0.25, 2, 7];
    for (const y of [0, 1, 0.9]) {
      const t = tf.tensor1d(z);
      const l = bceWithLogits(t, y);
      expect(l.shape).toEqual([]);
      expectClose([l.dataSync()[0] as number], [bceRef(z, y)], 1e-6);
      tf.dispose([t, l]);
    }
    // log 2 at z = 0 regardless of the label
    const t0 = tf.zeros([4, 1]);
    const l0 = bceWithLogits(t0, 1);
    expectClose([l0.dataSync()[0] as number], [Math.LN2], 1e-6);
    tf.dispose([t0, l0]);
  });

  it('is stable for huge logits (naive log(sigmoid) gives Infinity/NaN there)', () => {
    const t = tf.tensor1d([-200, 200]);
    const l1 = bceWithLogits(t, 1); // (200 + 0) / 2
    const l0 = bceWithLogits(t, 0); // (0 + 200) / 2
    expectClose([l1.dataSync()[0] as number, l0.dataSync()[0] as number], [100, 100], 1e-6);
    tf.dispose([t, l1, l0]);
  });

  it('its gradient is (sigmoid(z) - y) / n', () => {
    const z = [-2, 0, 1.5];
    const t = tf.tensor1d(z);
    const g = tf.grad((x: tf.Tensor) => bceWithLogits(x, 1))(t);
    expectClose(Array.from(g.dataSync()), z.map((v) => (1 / (1 + Math.exp(-v)) - 1) / z.length), 1e-6);
    tf.dispose([t, g]);
  });

  it('leaks nothing and does not dispose its input', async () => {
    const t = tf.tensor2d([[1], [-1]]);
    await expectNoLeak(() => tf.dispose(bceWithLogits(t, 1)));
    expect(t.isDisposed).toBe(false);
    t.dispose();
  });
});

describe('SeededDropout', () => {
  const n = 4000;
  const run = (layer: SeededDropout, x: tf.Tensor, training: boolean): Float32Array =>
    tf.tidy(() => (layer.apply(x, { training }) as tf.Tensor).dataSync() as Float32Array);

  it('training: drops about `rate` of the units and scales survivors by 1 / (1 - rate)', () => {
    const x = tf.ones([n]);
    for (const rate of [0.2, 0.5]) {
      const out = run(new SeededDropout({ rate, seed: 7 }), x, true);
      let zeros = 0;
      for (const v of out) {
        if (v === 0) zeros += 1;
        else expect(Math.abs(v - 1 / (1 - rate))).toBeLessThan(1e-6);
      }
      // binomial sd = sqrt(rate (1 - rate) / n) <= 0.008: 4 sd
      expect(Math.abs(zeros / n - rate)).toBeLessThan(0.032);
    }
    tf.dispose(x);
  });

  it('inference and rate 0 are the identity; masks are fresh per call and reproducible per seed', () => {
    const x = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i + 1));
    const values = Array.from(x.dataSync());
    expect(Array.from(run(new SeededDropout({ rate: 0.5, seed: 1 }), x, false))).toEqual(values);
    expect(Array.from(run(new SeededDropout({ rate: 0, seed: 1 }), x, true))).toEqual(values);
    const a = new SeededDropout({ rate: 0.5, seed: 3 });
    const b = new SeededDropout({ rate: 0.5, seed: 3 });
    const c = new SeededDropout({ rate: 0.5, seed: 4 });
    const a1 = Array.from(run(a, x, true));
    const a2 = Array.from(run(a, x, true));
    expect(a2).not.toEqual(a1);
    expect(Array.from(run(b, x, true))).toEqual(a1);
    expect(Array.from(run(b, x, true))).toEqual(a2);
    expect(Array.from(run(c, x, true))).not.toEqual(a1);
    tf.dispose(x);
  });

  it('serialises rate and seed in its config and validates them', () => {
    const cfg = new SeededDropout({ rate: 0.3, seed: 11 }).getConfig();
    expect(cfg.rate).toBe(0.3);
    expect(cfg.seed).toBe(11);
    for (const [args, arg] of [
      [{ rate: 1, seed: 1 }, 'rate'],
      [{ rate: -0.1, seed: 1 }, 'rate'],
      [{ rate: 0.5, seed: 1.5 }, 'seed'],
    ] as const) {
      let err: unknown;
      try {
        new SeededDropout(args);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect((err as InvalidOptionError).details.arg).toBe(arg);
    }
  });

  it('leaks nothing in a model (training and inference)', async () => {
    const x = tf.ones([8, 3]);
    await expectNoLeak(() => {
      const m = tfl.sequential({ layers: [new SeededDropout({ rate: 0.5, seed: 2, inputShape: [3] })] });
      tf.dispose(m.apply(x, { training: true }) as tf.Tensor);
      tf.dispose(m.predict(x, { batchSize: 4096 }) as tf.Tensor);
      m.dispose();
    });
    tf.dispose(x);
  });
});

describe('maskSeed', () => {
  it('gives distinct uint32 seeds per call and per base seed (no collisions over 200 x 200)', () => {
    const seen = new Set<number>();
    for (let base = 0; base < 200; base++) {
      for (let call = 0; call < 200; call++) {
        const s = maskSeed(base, call);
        expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
        seen.add(s);
      }
    }
    // 40000 draws from 2^32: expected collisions ~0.19
    expect(seen.size).toBeGreaterThanOrEqual(40000 - 2);
    expect(maskSeed(5, 3)).toBe(maskSeed(5, 3));
  });
});

describe('conv1dOutputLength', () => {
  it('closed form: valid shrinks by (k - 1)·d, same and causal keep the length; equals portableConv1d', () => {
    expect(conv1dOutputLength(10, 3, 1, 'valid')).toBe(8);
    expect(conv1dOutputLength(10, 3, 2, 'valid')).toBe(6);
    expect(conv1dOutputLength(10, 4, 3, 'same')).toBe(10);
    expect(conv1dOutputLength(10, 4, 3, 'causal')).toBe(10);
    for (const padding of ['valid', 'same', 'causal'] as const) {
      for (const [k, d] of [[2, 1], [3, 2]] as const) {
        const y = tf.tidy(() => portableConv1d(tf.ones([1, 9, 2]) as tf.Tensor3D, tf.ones([k, 2, 1]) as tf.Tensor3D, { dilationRate: d, padding }));
        expect(y.shape[1]).toBe(conv1dOutputLength(9, k, d, padding));
        y.dispose();
      }
    }
  });
});

describe('conv1dOutputLength with strides', () => {
  it('hand values: valid ceil((steps - span) / s), same and causal ceil(steps / s)', () => {
    expect(conv1dOutputLength(10, 3, 1, 'valid', 2)).toBe(4);
    expect(conv1dOutputLength(9, 3, 1, 'valid', 2)).toBe(4);
    expect(conv1dOutputLength(11, 3, 1, 'valid', 3)).toBe(3);
    expect(conv1dOutputLength(10, 3, 1, 'same', 3)).toBe(4);
    expect(conv1dOutputLength(9, 3, 1, 'same', 3)).toBe(3);
    expect(conv1dOutputLength(7, 2, 1, 'causal', 2)).toBe(4);
    expect(conv1dOutputLength(11, 3, 2, 'valid', 2)).toBe(4);
    expect(conv1dOutputLength(10, 3, 1, 'valid')).toBe(conv1dOutputLength(10, 3, 1, 'valid', 1));
  });

  it('fast-check: equals the length of tf.conv1d (causal: left-padded then valid) and of portableConv1d, over sizes, kernels, strides and paddings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom<Conv1DPadding>('valid', 'same', 'causal'),
        (steps, k, s, dRaw, padding) => {
          const d = s > 1 ? 1 : dRaw; // tf.conv1d accepts stride > 1 only with dilation 1
          const span = (k - 1) * d;
          const n = conv1dOutputLength(steps, k, d, padding, s);
          if (padding === 'valid' && steps <= span) {
            expect(n).toBeLessThan(1);
            expect(() => tf.tidy(() => portableConv1d(tf.ones([1, steps, 1]) as tf.Tensor3D, tf.ones([k, 1, 1]) as tf.Tensor3D, { dilationRate: d, strides: s }))).toThrow();
            return;
          }
          const [ref, ours] = tf.tidy(() => {
            const x = tf.ones([1, steps, 1]) as tf.Tensor3D;
            const w = tf.ones([k, 1, 1]) as tf.Tensor3D;
            const xin = padding === 'causal' ? (tf.pad(x, [[0, 0], [span, 0], [0, 0]]) as tf.Tensor3D) : x;
            const r = tf.conv1d(xin, w, s, padding === 'causal' ? 'valid' : padding, 'NWC', d).shape[1];
            const o = portableConv1d(x, w, { dilationRate: d, strides: s, padding }).shape[1];
            return [r, o];
          });
          expect(n).toBe(ref);
          expect(ours).toBe(ref);
        },
      ),
      { seed: 2101, numRuns: 150 },
    );
  });

  it('the layer reports the same output shape as its call, and the decimation equals every s-th output of the stride-1 valid convolution', () => {
    const layer = new PortableConv1D({ filters: 2, kernelSize: 3, strides: 3, padding: 'valid', seed: 1 });
    const x = tf.tensor3d(Array.from({ length: 2 * 14 * 2 }, (_, i) => Math.sin(i)), [2, 14, 2]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual(layer.computeOutputShape([2, 14, 2]));
    expect(y.shape).toEqual([2, 4, 2]);
    const kernel = layer.getWeights()[0] as tf.Tensor3D;
    const dense = tf.tidy(() => tf.gather(portableConv1d(x, kernel), [0, 3, 6, 9], 1));
    expectClose(Array.from(y.dataSync()), Array.from(dense.dataSync()), 1e-5);
    tf.dispose([x, y, dense]);
    layer.dispose();
  });

  it.each([
    ['strides 0', 0],
    ['strides -2', -2],
    ['strides 1.5', 1.5],
    ['strides NaN', Number.NaN],
    ['strides as text', '2' as never],
  ] as const)('%s → InvalidOptionError naming strides (layer, portableConv1d, conv1dOutputLength), nothing leaked', (_n, strides: number) => {
    const x = tf.ones([1, 6, 1]) as tf.Tensor3D;
    const w = tf.ones([2, 1, 1]) as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const calls: [string, () => unknown][] = [
      ['PortableConv1D', () => new PortableConv1D({ filters: 1, kernelSize: 2, strides })],
      ['portableConv1d', () => portableConv1d(x, w, { strides })],
      ['conv1dOutputLength', () => conv1dOutputLength(6, 2, 1, 'valid', strides)],
    ];
    for (const [fn, f] of calls) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(err, fn).toBeInstanceOf(InvalidOptionError);
      expect((err as InvalidOptionError).details.arg).toBe('strides');
      expect((err as InvalidOptionError).details.fn).toBe(fn);
      expect((err as Error).message).toContain('integer >= 1');
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  it('portableConv1d names other invalid options too (dilationRate, padding)', () => {
    const x = tf.ones([1, 6, 1]) as tf.Tensor3D;
    const w = tf.ones([2, 1, 1]) as tf.Tensor3D;
    expect(() => portableConv1d(x, w, { dilationRate: 0 })).toThrow(/'dilationRate' option of portableConv1d/);
    expect(() => portableConv1d(x, w, { padding: 'full' as never })).toThrow(/'padding' option of portableConv1d/);
    expect(() => conv1dOutputLength(-1, 2, 1, 'valid')).toThrow(InvalidOptionError);
    tf.dispose([x, w]);
  });
});
