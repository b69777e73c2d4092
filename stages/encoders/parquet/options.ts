/** Options of the `parquet` encoder. */
export interface ParquetEncoderOptions {
  /**
   * Rows per row group. Rows are held (as column arrays) until a group is full, so this bounds the
   * encoder's memory: about rowGroupRows × bytes per row × 3. Default 65,536. Limit 1,000 – 1,048,576.
   */
  rowGroupRows?: number;
  /** Page compression. Default `SNAPPY`. */
  codec?: 'SNAPPY' | 'UNCOMPRESSED';
}
