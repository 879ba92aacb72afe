import { describe, expect, it } from 'vitest';
import { InvalidOptionError, TrainingError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import type { DenseMatrix } from '../../src/core/matrix';
import type { Table } from '../../src/data/table';
import { stratifiedKFold } from '../../src/data/stratifiedKFold';
import { buildRiskModel } from '../../src/presets/riskModel';
import { trainPackedClassifiers, type PackedTrainConfig } from '../../src/presets/_internal/packedEnsemble';
import { neuralClassifier } from '../../src/models/neuralModel';
import type { EpochLogs } from '../../src/train/trainModel';
import { expectNoLeak } from '../helpers/leak';

/** 240 rows, 4 numeric features, a noisy logistic target. */
function data(): { x: DenseMatrix; y: Float64Array } {
  const rng = createRng(7);
  const n = 240;
  const p = 4;
  const d = Float64Array.from({ length: n * p }, () => rng.normal());
  const y = Float64Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(1.5 * (d[i * p] as number) - (d[i * p + 1] as number)))) ? 1 : 0));
  return { x: { rows: n, cols: p, data: d }, y };
}

const CFG: PackedTrainConfig = { hidden: [6], l2: 0.01, dropout: 0.1, learningRate: 0.02, epochs: 60, batchSize: 32, patience: 5, classWeight: null };

function table(): Table {
  const { x, y } = data();
  const col = (j: number): Float64Array => Float64Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j] as number);
  return {
    nRows: x.rows,
    columns: [
      { kind: 'numeric', name: 'a', values: col(0) },
      { kind: 'numeric', name: 'b', values: col(1) },
      { kind: 'categorical', name: 'y', values: Array.from(y, (v) => (v === 1 ? 'bad' : 'good')) },
    ],
  };
}

describe('trainPackedClassifiers (the packed cross-validation networks of buildRiskModel)', () => {
  it('gives every network its own best weights: its restored loss on its own fold is its best validation loss', async () => {
    const { x, y } = data();
    const folds = stratifiedKFold(y, { k: 3, shuffle: true, seed: 1 });
    const params = folds.map((_, k) => neuralClassifier({ model: { type: 'fnn', hidden: [6], l2: 0.01, dropout: 0.1 }, seed: 10 + k }).params);
    const nets = await trainPackedClassifiers(x, y, folds, params, CFG);
    try {
      nets.forEach((net, k) => {
        const f = folds[k]!;
        const h = net.history.valLoss;
        const best = net.training.bestEpoch!;
        expect(h[best]).toBe(Math.min(...h));
        expect(net.training.epochs).toBe(h.length);
        // Cross-entropy on the fold with the stored weights, plus the l2 penalty, as the trainer computes valLoss.
        const xv: DenseMatrix = { rows: f.test.length, cols: x.cols, data: Float64Array.from(Array.from(f.test).flatMap((i) => Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)))) };
        const p = net.predictProba(xv) as Float64Array;
        let ce = 0;
        f.test.forEach((row, j) => {
          const q = Math.min(Math.max(p[j] as number, 1e-7), 1 - 1e-7);
          ce -= y[row] === 1 ? Math.log(q) : Math.log(1 - q);
        });
        const penalty = net.layerWeights().filter((w) => w.name.endsWith('kernel')).reduce((s, w) => s + w.values.reduce((a, v) => a + v * v, 0), 0) * CFG.l2;
        expect(ce / f.test.length + penalty).toBeCloseTo(h[best]!, 4);
      });
      // The networks differ (own folds, own seeds).
      expect(nets[0]!.layerWeights()[0]!.values).not.toEqual(nets[1]!.layerWeights()[0]!.values);
    } finally {
      nets.forEach((n) => n.dispose());
    }
  });

  it('is deterministic with a seed and leaks no tensors', async () => {
    const t = table();
    const opts = { target: 'y', members: 3, epochs: 20, seed: 5 } as const;
    await expectNoLeak(async () => {
      const m = await buildRiskModel(t, opts);
      m.dispose();
    });
    const a = await buildRiskModel(t, opts);
    const b = await buildRiskModel(t, opts);
    try {
      expect(Array.from(a.score(t))).toEqual(Array.from(b.score(t)));
      expect(a.members.map((m) => m.history.valLoss)).toEqual(b.members.map((m) => m.history.valLoss));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('calls the callbacks per network, honours the abort signal without leaking, rejects validationData', async () => {
    const t = table();
    let epochs = 0;
    let batches = 0;
    let ends = 0;
    const m = await buildRiskModel(t, { target: 'y', members: 2, epochs: 3, patience: 10, batchSize: 64 }, { onEpochEnd: () => void epochs++, onBatchEnd: () => void batches++, onTrainEnd: () => void ends++ });
    m.dispose();
    expect(epochs).toBe(2 * 3);
    expect(batches).toBe(2 * 3 * 2); // 120 training rows per network: 2 batches of 64
    expect(ends).toBe(2);
    const ac = new AbortController();
    ac.abort();
    await expectNoLeak(async () => {
      await expect(buildRiskModel(t, { target: 'y', members: 2, epochs: 3 }, { signal: ac.signal })).rejects.toBeInstanceOf(TrainingError);
    });
    await expect(buildRiskModel(t, { target: 'y' }, { validationData: { x: [[0, 0]], y: [1] } })).rejects.toBeInstanceOf(InvalidOptionError);
    await expectNoLeak(async () => {
      await expect(buildRiskModel(t, { target: 'y', members: 2, epochs: 3 }, { lrSchedule: () => Number.NaN })).rejects.toBeInstanceOf(InvalidOptionError);
    });
    let rates: number[] = [];
    const s = await buildRiskModel(t, { target: 'y', members: 2, epochs: 3, patience: 10 }, { lrSchedule: (e) => 0.01 / (1 + e) });
    rates = [...(s.members[0]?.history.lr ?? [])];
    s.dispose();
    expect(rates).toEqual([0.01, 0.005, 0.01 / 3]);
  });

  it('reports every packed epoch live (before any network ends), with the logs the networks replay later', async () => {
    const t = table();
    const events: string[] = [];
    const live: (EpochLogs | null)[][] = [];
    const replayed: EpochLogs[][] = [[]];
    const m = await buildRiskModel(
      t,
      { target: 'y', members: 3, epochs: 40, patience: 2, batchSize: 64 },
      {
        onEnsembleEpochEnd: (l) => {
          events.push(`epoch ${l.epoch}`);
          live.push([...l.members]);
        },
        onEpochEnd: (l) => void (replayed[replayed.length - 1] as EpochLogs[]).push(l),
        onTrainEnd: () => {
          events.push('end');
          replayed.push([]);
        },
      },
    );
    try {
      const nEpochs = Math.max(...m.members.map((n) => n.training.epochs));
      expect(events).toEqual([...Array.from({ length: nEpochs }, (_, e) => `epoch ${e}`), 'end', 'end', 'end']);
      m.members.forEach((net, k) => {
        // Live: network k reports exactly its own epochs, then null once it has early-stopped.
        const own = live.map((row) => row[k] ?? null);
        expect(own.filter((l) => l !== null)).toEqual(replayed[k]);
        expect(own.findIndex((l) => l === null)).toBe(net.training.epochs < nEpochs ? net.training.epochs : -1);
        expect(replayed[k]?.map((l) => l.valLoss)).toEqual(net.history.valLoss);
      });
      expect(m.members.some((n) => n.training.stopReason === 'earlyStopping')).toBe(true);
    } finally {
      m.dispose();
    }
  });

  it('a throwing live callback rejects the fit and leaks nothing', async () => {
    const t = table();
    await expectNoLeak(async () => {
      await expect(
        buildRiskModel(t, { target: 'y', members: 2, epochs: 5 }, {
          onEnsembleEpochEnd: (l) => {
            if (l.epoch === 1) throw new RangeError('stop here');
          },
        }),
      ).rejects.toThrow('stop here');
    });
  });
});
