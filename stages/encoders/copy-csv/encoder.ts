/**
 * What Postgres `COPY … FROM STDIN (FORMAT csv)` reads: every column of the table in
 * `TableInfo.columns` order (hidden ones too: the database gets the whole row), no header.
 *
 * - `copy-csv`: cycle-breaking (deferred) columns are NULL; the load sets them afterwards with one
 *   UPDATE … FROM per table, once the rows they point at exist.
 * - `copy-csv-final`: deferred columns hold their final values, for a load whose foreign keys are
 *   set aside until every row is in (a sharded load).
 * Values of deferred columns are type-checked either way.
 */
import { csvTableEncoder, type Encoder } from '../../../src/stage-kit.js';

export const COPY_CSV = 'copy-csv';
export const COPY_CSV_FINAL = 'copy-csv-final';

export function copyCsvEncoder(): Encoder {
  return { format: COPY_CSV, module: import.meta.url, forTable: (info) => csvTableEncoder(info, { columns: 'all', deferred: 'null', header: false }) };
}

export function copyCsvFinalEncoder(): Encoder {
  return { format: COPY_CSV_FINAL, module: import.meta.url, forTable: (info) => csvTableEncoder(info, { columns: 'all', deferred: 'value', header: false }) };
}

/** For generation workers (`Encoder.module`). */
export const encoders = { [COPY_CSV]: copyCsvEncoder(), [COPY_CSV_FINAL]: copyCsvFinalEncoder() };
