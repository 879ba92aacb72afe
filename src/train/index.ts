export {};
export * from './search/index';
