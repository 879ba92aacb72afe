export * from './woeBinning';
export * from './scorecard';
export { SCORECARD_KINDS } from './registry';
