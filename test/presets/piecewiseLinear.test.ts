import { describe, expect, it } from 'vitest';
import { applyPiecewiseLinear, fitPiecewiseLinear, pleWidth } from '../../src/presets/_internal/piecewiseLinear';

const matrix = (rows: number[][]) => ({ rows: rows.length, cols: rows[0]?.length ?? 0, data: Float64Array.from(rows.flat()) });

describe('piecewise-linear encoding (internal)', () => {
  // Column 0: 0..10; column 1: binary (not encoded); column 2: constant (not encoded).
  const x = matrix(Array.from({ length: 11 }, (_, i) => [i, i % 2, 5]));

  it('bins at training quantiles, skips columns with fewer than 3 distinct values', () => {
    const enc = fitPiecewiseLinear(x, [0, 1, 2], 4, 64);
    expect(enc.columns).toEqual([0]);
    expect(enc.edges).toEqual([[0, 3, 5, 8, 10]]);
    expect(pleWidth(enc)).toBe(4);
  });

  it('encodes clip((x − lo) / (hi − lo), 0, 1) per bin and keeps the original columns first', () => {
    const enc = { columns: [0], edges: [[0, 2, 6]] };
    const out = applyPiecewiseLinear(matrix([[-1, 7], [1, 7], [4, 7], [9, 7]]), enc);
    expect(out.cols).toBe(4);
    expect(Array.from(out.data)).toEqual([-1, 7, 0, 0, 1, 7, 0.5, 0, 4, 7, 1, 0.5, 9, 7, 1, 1]);
  });

  it('caps the total width: fewer bins per column, none below 2', () => {
    const wide = matrix(Array.from({ length: 50 }, (_, i) => [i, (i * 7) % 50, (i * 13) % 50]));
    expect(fitPiecewiseLinear(wide, [0, 1, 2], 8, 64).edges.map((e) => e.length - 1)).toEqual([8, 8, 8]);
    expect(fitPiecewiseLinear(wide, [0, 1, 2], 8, 9).edges.map((e) => e.length - 1)).toEqual([3, 3, 3]);
    expect(pleWidth(fitPiecewiseLinear(wide, [0, 1, 2], 8, 5))).toBe(0);
    expect(applyPiecewiseLinear(wide, fitPiecewiseLinear(wide, [0, 1, 2], 8, 5))).toBe(wide);
  });
});
