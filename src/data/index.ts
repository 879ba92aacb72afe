/**
 * Tables, CSV parsing, preprocessing transformers, pipelines and splitters.
 *
 * @module finml/data
 */
export * from './table';
export * from './transformer';
export { parseCsv } from './parseCsv';
export type { ColumnType, CsvEncoding, ParseCsvOptions, CsvStrayToken, CsvWarning, CsvTable } from './parseCsv';
export * from './parseCsvStream';
export * from './createTable';
export * from './fromRecords';
export * from './arrow';
export * from './getColumn';
export * from './selectColumns';
export * from './dropColumns';
export * from './takeRows';
export * from './dropna';
export * from './tableToMatrix';
export * from './extractTarget';
export * from './simpleImputer';
export * from './categoricalImputer';
export * from './oneHotEncoder';
export * from './ordinalEncoder';
export * from './standardScaler';
export * from './minMaxScaler';
export * from './robustScaler';
export * from './indexSplit';
export * from './trainTestSplit';
export * from './kFold';
export * from './stratifiedKFold';
export * from './walkForwardSplit';
export * from './purgedKFold';
export * from './slidingWindows';
export * from './returns';
export * from './pipeline';
export * from './tabularPipeline';
export * from './fromRecords';
