/**
 * What Postgres `COPY … FROM STDIN (FORMAT binary)` reads: every column of the table in
 * `TableInfo.columns` order, PGCOPY binary (header, one int16 field count and length-prefixed
 * network-order values per row, trailer). Cycle-breaking (deferred) columns are NULL, like
 * `copy-csv`: the load sets them afterwards. Values are checked exactly as `copy-csv` checks them.
 * The bytes are right only for a table whose column types are the dataset's own (the Postgres sink
 * checks the catalog and falls back to `copy-csv` for any other table).
 */
import { pgBinaryTableEncoder, type Encoder } from '../../../src/stage-kit.js';

export const COPY_BINARY = 'copy-binary';

export function copyBinaryEncoder(): Encoder {
  return { format: COPY_BINARY, module: import.meta.url, forTable: (info) => pgBinaryTableEncoder(info, { deferred: 'null' }) };
}

/** For generation workers (`Encoder.module`). */
export const encoders = { [COPY_BINARY]: copyBinaryEncoder() };
