export { jsonlEncoder, jsonlTableEncoder, encoders, JSONL } from './encoder.js';
export type { JsonlEncoderOptions } from './options.js';
