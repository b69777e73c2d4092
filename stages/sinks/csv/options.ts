import type { OpenFile } from './file-writer.js';

export interface CsvSinkOptions {
  /** Output directory (created if missing). Files are `<dir>/<table>.csv[.gz]`, shards `<table>.part-03-of-16.csv[.gz]`. */
  dir: string;
  /**
   * The encoding of each file: `csv` (`<table>.csv`), `jsonl` (`<table>.jsonl`) or `parquet`
   * (`<table>.parquet`); the run needs an encoder of that format. Default `csv`.
   */
  format?: 'csv' | 'jsonl' | 'parquet';
  /** gzip each file (`.csv.gz`). Default false. Not with parquet (compressed inside). */
  gzip?: boolean;
  /** gzip level 1–9. Default 6. */
  gzipLevel?: number;
  /** Opens the stream a temporary file is written through (tests pass a slow one). Default: `fs.createWriteStream`. */
  openFile?: OpenFile;
  /** Receives one line per leftover of a killed run removed at `open` (the CLI prints them). */
  notice?: (line: string) => void;
}
