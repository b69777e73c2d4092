import type { ParquetEncoderOptions } from '../parquet/index.js';

/** Options of the standard encoder set. */
export interface StandardEncoderOptions {
  /** Options of the `csv` encoder: `header` (default true). */
  csv?: { header?: boolean };
  /** Options of the `parquet` encoder. */
  parquet?: ParquetEncoderOptions;
}
