import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import type { Predictor } from '../../src/core/predictor';
import { kernelShap } from '../../src/explain/kernelShap';

describe('kernelShap: too few samples', () => {
  const bg = [
    [0, 0, 0, 0, 0],
    [1, 2, 3, 4, 5],
  ];
  const linear: Predictor = (x) => {
    const out = new Float64Array(x.rows);
    for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) out[i] = (out[i] as number) + (j + 1) * (x.data[i * x.cols + j] as number);
    return out;
  };
  it('says when exact enumeration needs fewer evaluations than the sampling suggestion', async () => {
    const e = await kernelShap({ nSamples: 3, exactMaxPlayers: 2, seed: 1 })
      .fit(bg)
      .explain(linear, [[1, 1, 1, 1, 1]])
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as Error).message).toMatch(/exact enumeration needs only 30 coalitions for 5 players, so set nSamples >= 30/);
    // Following the advice gives the exact values of the linear game: w_j (x_j − mean background x_j).
    const ok = await kernelShap({ nSamples: 30, exactMaxPlayers: 2 }).fit(bg).explain(linear, [[1, 1, 1, 1, 1]]);
    expect(ok.exact).toBe(true);
    ok.values[0]?.forEach((v, j) => expect(v).toBeCloseTo((j + 1) * (1 - (j + 1) / 2), 10));
  });
});
