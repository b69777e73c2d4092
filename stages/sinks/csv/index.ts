export { CsvSink } from './sink.js';
export { finalizeCsvShards } from './finalize.js';
export type { CsvSinkOptions } from './options.js';
export type { OpenFile } from './file-writer.js';
export { findCsvLeftovers, removeCsvLeftovers, type Leftover } from './leftovers.js';
