export { csvEncoder, encoders, CSV } from './encoder.js';
export type { CsvEncoderOptions } from './options.js';
