import { describe, expect, it } from 'vitest';
import { isImprovement } from '../../src/train/_internal/monitor';

describe('isImprovement (early stopping / ReduceLROnPlateau monitor)', () => {
  it('compares against the best value with minDelta in the direction of the mode', () => {
    expect(isImprovement('min', 0.5, 0.6, 0)).toBe(true);
    expect(isImprovement('min', 0.6, 0.6, 0)).toBe(false);
    expect(isImprovement('min', 0.55, 0.6, 0.1)).toBe(false);
    expect(isImprovement('max', 0.7, 0.6, 0)).toBe(true);
    expect(isImprovement('max', 0.65, 0.6, 0.1)).toBe(false);
  });
  it('never counts NaN as an improvement, whatever the best value (Keras skips NaN)', () => {
    for (const mode of ['min', 'max'] as const) {
      expect(isImprovement(mode, Number.NaN, null, 0)).toBe(false);
      expect(isImprovement(mode, Number.NaN, 1, 0)).toBe(false);
      expect(isImprovement(mode, Number.NaN, mode === 'min' ? Infinity : -Infinity, 0)).toBe(false);
    }
  });
  it('accepts any non-NaN value, infinite ones included, when nothing was accepted yet', () => {
    expect(isImprovement('min', Infinity, null, 0)).toBe(true);
    expect(isImprovement('max', -Infinity, null, 5)).toBe(true);
    expect(isImprovement('min', 3, null, 1e9)).toBe(true);
  });
});
