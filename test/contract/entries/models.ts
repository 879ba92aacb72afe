import type { ContractCase } from '../types';

/** Contract cases for src/models/. */
export const modelsCases: ContractCase[] = [];
