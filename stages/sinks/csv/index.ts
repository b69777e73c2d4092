export { CsvSink } from './sink.js';
export type { CsvSinkOptions } from './options.js';
