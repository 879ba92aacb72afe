export * from './woeBinning';
export * from './scorecard';
