import { describe, expect, it } from 'vitest';
import {
  FINML_TASKS,
  InvalidOptionError,
  ShapeError,
  SerializationError,
  explainRowsWith,
  kernelShap,
  neuralClassifier,
  sequentialExecutor,
  standardScaler,
} from '../../src/index';
import { shapRowsTask } from '../../src/parallel/parallelShap';
import { expectNoLeak } from '../helpers/leak';

const x = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(1.3 * i), (i % 5) / 5, Math.sin(0.2 * i)]);
const y = x.map((r) => (r[0]! + r[1]! * r[2]! > 0 ? 1 : 0));

describe('explainRowsWith', () => {
  it('equals explaining all rows at once, for any batch size, and leaks no tensor', async () => {
    const model = await neuralClassifier({ model: { type: 'fnn', hidden: [6] }, train: { epochs: 3 }, seed: 2 }).fit(x, y);
    try {
      const fitted = kernelShap({ backgroundSize: 6, link: 'logit', seed: 3 }).fit(x);
      const rows = x.slice(0, 7);
      const ref = await fitted.explain(model.asPredictor(), rows);
      const ex = sequentialExecutor(FINML_TASKS);
      for (const batchRows of [1, 3, 7, undefined]) {
        const e = await explainRowsWith(ex, fitted, model, rows, batchRows === undefined ? {} : { batchRows });
        expect(e.values).toEqual(ref.values);
        expect(e.fx).toEqual(ref.fx);
        expect(e.baseValue).toBe(ref.baseValue);
        expect(e.playerNames).toEqual(ref.playerNames);
        expect(e.nCoalitions).toBe(ref.nCoalitions);
      }
      await expectNoLeak(() => explainRowsWith(ex, fitted, model, rows, { batchRows: 4 }));
    } finally {
      model.dispose();
    }
  });

  it('validates its arguments and the task payload', async () => {
    const model = await neuralClassifier({ model: { type: 'fnn', hidden: [2] }, train: { epochs: 1 }, seed: 2 }).fit(x, y);
    try {
      const fitted = kernelShap({ backgroundSummary: 'none' }).fit(x.slice(0, 4));
      const ex = sequentialExecutor(FINML_TASKS);
      await expect(explainRowsWith({} as never, fitted, model, x)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(explainRowsWith(ex, {} as never, model, x)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(explainRowsWith(ex, fitted, {} as never, x)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(explainRowsWith(ex, fitted, model, x, { batchRows: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(explainRowsWith(ex, fitted, model, [[1, 2]])).rejects.toBeInstanceOf(ShapeError);
      // A model without asPredictor (a scaler) is a typed error from the task.
      const scaler = standardScaler().fit(x);
      await expect(explainRowsWith(ex, fitted, scaler, x)).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(shapRowsTask({ explainer: { kind: 'Nope', version: 1, params: {}, state: {} }, model: model.toJSON(), x: { rows: 1, cols: 4, data: new Float64Array(4) } })).rejects.toBeInstanceOf(SerializationError);
      await expect(shapRowsTask({ explainer: fitted.toJSON(), model: model.toJSON(), x: { rows: 2, cols: 4, data: new Float64Array(4) } })).rejects.toBeInstanceOf(InvalidOptionError);
    } finally {
      model.dispose();
    }
  });
});
