export { CsvSources, openCsvSource } from './source.js';
export { inferColumns } from './infer.js';
export type { CsvSourceOptions } from './options.js';
