import type { ContractCase } from '../types';

/** Contract cases for src/train/. */
export const trainCases: ContractCase[] = [];
