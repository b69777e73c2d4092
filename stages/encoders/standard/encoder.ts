/**
 * Every encoding the built-in sinks ask for, in one call: `csv`, `copy-csv`, `copy-csv-final`, `copy-binary`,
 * `jsonl` and `parquet`. What `seedpipe run` and `export` pass to `runPipeline`, for library users
 * who do not want to list encoders. A bundle, the one stage folder that imports other folders of its
 * kind (through their index, as the CLI does).
 */
import type { Encoder } from '../../../src/stage-kit.js';
import { copyBinaryEncoder } from '../copy-binary/index.js';
import { copyCsvEncoder, copyCsvFinalEncoder } from '../copy-csv/index.js';
import { csvEncoder } from '../csv/index.js';
import { jsonlEncoder } from '../jsonl/index.js';
import { parquetEncoder } from '../parquet/index.js';
import type { StandardEncoderOptions } from './options.js';

export function standardEncoders(o: StandardEncoderOptions = {}): Encoder[] {
  // parquet loads its optional package only when a table is encoded with it.
  return [csvEncoder(o.csv ?? {}), copyCsvEncoder(), copyCsvFinalEncoder(), copyBinaryEncoder(), jsonlEncoder(), parquetEncoder(o.parquet ?? {})];
}
