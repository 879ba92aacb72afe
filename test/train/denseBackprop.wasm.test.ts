import { describe } from 'vitest';
import { hostOptimizerMatchesTfjs, tapeFreeStepMatchesTape } from './hostStepCases';

describe('HostOptimizer (wasm)', () => {
  hostOptimizerMatchesTfjs();
});

describe('denseBackprop (wasm)', () => {
  tapeFreeStepMatchesTape(2e-4);
});
