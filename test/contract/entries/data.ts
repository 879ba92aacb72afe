import type { ContractCase } from '../types';

/** Contract cases for src/data/. */
export const dataCases: ContractCase[] = [];
