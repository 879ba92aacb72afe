import type { ContractCase } from './types';
import { dataCases } from './entries/data';
import { modelsCases } from './entries/models';
import { trainCases } from './entries/train';
import { explainCases } from './entries/explain';
import { glmCases } from './entries/glm';
import { presetsCases } from './entries/presets';
import { scorecardCases } from './entries/scorecard';

/** Every estimator of finml, under the shared contract. */
export const registry: readonly ContractCase[] = [...dataCases, ...modelsCases, ...trainCases, ...explainCases, ...glmCases, ...presetsCases, ...scorecardCases];
