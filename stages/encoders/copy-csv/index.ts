export { copyCsvEncoder, copyCsvFinalEncoder, encoders, COPY_CSV, COPY_CSV_FINAL } from './encoder.js';
export type { CopyCsvEncoderOptions } from './options.js';
