export * from './space';
export * from './crossValidate';
export * from './searchTypes';
export * from './gridSearch';
export * from './randomSearch';
export * from './bayesSearch';
export * from './tasks';
