export interface CsvSinkOptions {
  /** Output directory (created if missing). Files are `<dir>/<table>.csv[.gz]`. */
  dir: string;
  /** gzip each file (`.csv.gz`). Default false. */
  gzip?: boolean;
  /** gzip level 1–9. Default 6. */
  gzipLevel?: number;
}
