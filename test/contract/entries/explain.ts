import type { ContractCase } from '../types';

/** Contract cases for src/explain/. */
export const explainCases: ContractCase[] = [];
