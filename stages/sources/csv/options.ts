import type { ColumnType, ObjectReader } from '../../../src/stage-kit.js';

/** Options of the CSV source. */
export interface CsvSourceOptions {
  /**
   * A local directory of CSV files (`<table>.csv` or `.csv.gz`, shard parts `<table>.part-03-of-16.csv`).
   * Either this or `reader`.
   */
  dir?: string;
  /**
   * Read access to a folder elsewhere (an S3 generation folder: the S3 sink's `s3ObjectReader`).
   * Such a folder needs a seedpipe manifest or `files`: objects are not listed.
   */
  reader?: ObjectReader;
  /** Files per table, in order (`{ users: ['users.csv'] }`). Default: the manifest's, or every `*.csv[.gz]` of `dir`. */
  files?: Readonly<Record<string, readonly string[]>>;
  /**
   * Column types per table, for files without a manifest (`{ users: { id: 'bigint', born: 'date' } }`).
   * Columns not named are inferred from the first `inferRows` rows. Ignored where the manifest types them.
   */
  columns?: Readonly<Record<string, Readonly<Record<string, ColumnType>>>>;
  /** Rows read to infer types of columns without a declared type. Default 1,000. Limit 1 – 1,000,000. */
  inferRows?: number;
  /**
   * Read `manifest.json` when it is there (types, keys, row counts and files from it). Default true;
   * false treats the folder as plain CSV files.
   */
  manifest?: boolean;
}
