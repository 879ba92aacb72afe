import { describe } from 'vitest';
import { pausedTrainingResumesExactly } from './checkpointCases';

describe('a paused training (wasm)', () => {
  pausedTrainingResumesExactly();
});
