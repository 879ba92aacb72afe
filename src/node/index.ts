export { readCsv } from './readCsv';
export { streamCsv } from './streamCsv';
export * from './writeSvg';
export * from './writeReport';
