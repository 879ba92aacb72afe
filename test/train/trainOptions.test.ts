import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import { buildFnn, buildLinear, buildLogistic, disposeModel } from '../../src/models/index';
import { TRAIN_DEFAULTS, inferLoss, resolveTrainOptions } from '../../src/train/trainModel';
import { EARLY_STOPPING_DEFAULTS, REDUCE_LR_DEFAULTS } from '../../src/train/callbacks';

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('resolveTrainOptions', () => {
  it('fills every default, resolves nested earlyStopping / reduceLrOnPlateau over their own defaults, freezes', () => {
    const o = resolveTrainOptions();
    expect(o).toEqual({ ...TRAIN_DEFAULTS, metrics: [] });
    expect(o.batchSize).toBe(32);
    expect(o.epochs).toBe(10);
    const p = resolveTrainOptions({ epochs: 3, earlyStopping: { patience: 2 }, reduceLrOnPlateau: {} });
    expect(p.epochs).toBe(3);
    expect(p.earlyStopping).toEqual({ ...EARLY_STOPPING_DEFAULTS, patience: 2 });
    expect(p.reduceLrOnPlateau).toEqual(REDUCE_LR_DEFAULTS);
    expect(Object.isFrozen(p) && Object.isFrozen(p.metrics) && Object.isFrozen(p.earlyStopping)).toBe(true);
  });
  it('copies the metrics array (the caller can keep mutating theirs)', () => {
    const metrics: ('accuracy' | 'mae')[] = ['accuracy'];
    const o = resolveTrainOptions({ metrics });
    metrics.push('mae');
    expect(o.metrics).toEqual(['accuracy']);
  });
  it.each([
    [{ epochs: 0 }, 'epochs'],
    [{ batchSize: 1.5 }, 'batchSize'],
    [{ optimizer: 'adagrad' }, 'optimizer'],
    [{ learningRate: 0 }, 'learningRate'],
    [{ epoch: 3 }, 'epoch'],
    [{ earlyStopping: { patience: -1 } }, 'patience'],
    [{ earlyStopping: { patiense: 1 } }, 'patiense'],
  ])('%o → InvalidOptionError naming %s and the function', (opts, arg) => {
    const err = errorOf(() => resolveTrainOptions(opts as never, 'myTrainer'));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).details.arg).toBe(arg);
    expect((err as Error).message).toContain('myTrainer');
  });
});

describe('inferLoss', () => {
  it('follows the output activation: sigmoid → BCE, softmax → CCE, linear → MSE', () => {
    const bin = buildLogistic({ type: 'logistic' }, { inputShape: [2], head: { task: 'binary', units: 1 }, seed: 0 });
    const multi = buildFnn({ type: 'fnn', hidden: [3] }, { inputShape: [2], head: { task: 'multiclass', units: 3 }, seed: 0 });
    const reg = buildLinear({ type: 'linear' }, { inputShape: [2], head: { task: 'regression', units: 1 }, seed: 0 });
    expect([inferLoss(bin), inferLoss(multi), inferLoss(reg)]).toEqual(['binaryCrossentropy', 'categoricalCrossentropy', 'meanSquaredError']);
    for (const m of [bin, multi, reg]) disposeModel(m);
  });
});
