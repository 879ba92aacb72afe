export { readCsv } from './readCsv';
export { streamCsv } from './streamCsv';
