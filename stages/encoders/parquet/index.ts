export { parquetEncoder, parquetTableEncoder, PARQUET, PARQUET_PACKAGES } from './encoder.js';
export type { ParquetEncoderOptions } from './options.js';
