/**
 * The `csv` encoding, for files and objects: RFC 4180, the exported columns only (never a column
 * marked `export: false`), final values (cycle-breaking columns hold what a later UPDATE would set),
 * a header line, LF line endings, NULL as an empty unquoted field, the empty string as `""`.
 */
import { csvTableEncoder, type Encoder } from '../../../src/stage-kit.js';
import type { CsvEncoderOptions } from './options.js';

export const CSV = 'csv';

export function csvEncoder(o: CsvEncoderOptions = {}): Encoder {
  const header = o.header !== false;
  return {
    format: CSV,
    // The header is made in the main thread; workers make the rows, which no option changes.
    module: import.meta.url,
    forTable: (info) => csvTableEncoder(info, { columns: 'exported', deferred: 'value', header }),
  };
}

/** For generation workers (`Encoder.module`). */
export const encoders = { [CSV]: csvEncoder() };
