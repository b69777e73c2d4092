/**
 * The CSV source: tables from CSV files in a local directory or any folder an `ObjectReader` serves
 * (an S3 generation folder). With a seedpipe manifest, the tables, their load order, column types,
 * keys, files (shard parts too) and row counts come from it, and the files' bytes are exactly the
 * `csv` encoding, so they pass straight through. Without one, each file's header names the columns
 * and their types are declared or inferred from the first rows; values are parsed, never passed as
 * bytes (a file written elsewhere need not be in the canonical form).
 *
 * Memory per table: one batch plus the read stream's chunk (and gunzip's window for `.gz`).
 */
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  SeedpipeError, csvRecordBatches, localDirectoryReader, parseCsvRecords, parseManifest, readSmall, usageError, valueParser,
  type Batch, type ColumnType, type Encoder, type Manifest, type ObjectReader, type Source, type SourceRequest, type SourceSet, type TableEncoder, type TableInfo, type Values,
} from '../../../src/stage-kit.js';
import { inferColumns } from './infer.js';
import type { CsvSourceOptions } from './options.js';

const PASS_THROUGH = new Set(['csv', 'copy-csv', 'copy-csv-final']);

interface FileTable {
  info: TableInfo;
  files: string[];
  /** Rows from the manifest; undefined when unknown. */
  rows: number | undefined;
  canonical: boolean;
}

export class CsvSources implements SourceSet {
  readonly name = 'csv';
  readonly tables: readonly Source[];
  constructor(readonly location: string, readonly manifest: Manifest | undefined, reader: ObjectReader, tables: readonly FileTable[]) {
    this.tables = tables.map((t) => new CsvTable(reader, t));
  }
}

class CsvTable implements Source {
  readonly info: TableInfo;
  readonly rows: number | undefined;
  constructor(private readonly reader: ObjectReader, private readonly t: FileTable) {
    this.info = t.info;
    this.rows = t.rows;
  }

  /** A seedpipe file holds exactly the csv encoding of its (exported) columns, which are every column here. */
  encodes(encoder: Encoder, _table: TableEncoder): boolean {
    return this.t.canonical && PASS_THROUGH.has(encoder.format);
  }

  async *batches(req: SourceRequest): AsyncGenerator<Batch> {
    const parsers = this.info.columns.map((c) => valueParser(this.info.name, c));
    let start = 0;
    for (const file of this.t.files) {
      const opened = await this.reader.open(file);
      if (!opened) throw new SeedpipeError('SOURCE_FILE_MISSING', `${this.reader.location}: ${file} (table ${this.info.name}) does not exist`, { data: { file } });
      const raw = Readable.from(opened.body, { objectMode: false });
      const body = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
      try {
        for await (const rb of csvRecordBatches(body, req.batchRows, { skip: 1, bom: true })) {
          const rows = req.rows ? this.parse(rb.bytes, start, parsers, file) : undefined;
          const encoded = new Map<string, Buffer>();
          for (const e of req.encode) encoded.set(e.encoder.format, rb.bytes);
          yield { table: this.info.name, start, count: rb.count, rows, encoded };
          start += rb.count;
        }
      } finally {
        body.destroy();
        raw.destroy();
      }
    }
  }

  private parse(bytes: Buffer, start: number, parsers: readonly ((s: string | null, row: number) => unknown)[], file: string): Values[] {
    const n = parsers.length;
    return parseCsvRecords(bytes.toString('utf8'), `${file}`).map((fields, r) => {
      if (fields.length !== n) throw new SeedpipeError('SOURCE_CSV_MALFORMED', `${file}: row ${start + r + 1} has ${fields.length} fields, the header ${n}`, { disposition: 'data-quality', data: { file } });
      const out = new Array<unknown>(n);
      for (let j = 0; j < n; j++) out[j] = parsers[j]!(fields[j]!, start + r);
      return out;
    });
  }
}

/** The first records of a file (header included), for column names and type inference. */
async function head(reader: ObjectReader, file: string, records: number): Promise<(string | null)[][]> {
  const opened = await reader.open(file);
  if (!opened) throw new SeedpipeError('SOURCE_FILE_MISSING', `${reader.location}: ${file} does not exist`, { data: { file } });
  const raw = Readable.from(opened.body, { objectMode: false });
  const body = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  try {
    for await (const rb of csvRecordBatches(body, records, { bom: true })) return parseCsvRecords(rb.bytes.toString('utf8'), file);
    return [];
  } finally {
    body.destroy();
    raw.destroy();
  }
}

const TABLE_OF = /^(.+?)(?:\.part-\d+-of-\d+)?\.csv(?:\.gz)?$/;

function fromManifest(m: Manifest, files: Readonly<Record<string, readonly string[]>> | undefined): FileTable[] {
  return (m.tables ?? []).map((t) => {
    const own = files?.[t.name] ?? m.files.filter((f) => f.table === t.name).map((f) => f.file);
    if (own.some((f) => !TABLE_OF.test(f))) throw usageError('SOURCE_FORMAT_UNSUPPORTED', `table ${t.name} is stored as ${own.join(', ')}; the CSV source reads .csv and .csv.gz files`);
    const columns = t.columns.map((c) => ({ name: c.name, type: c.type as ColumnType, nullable: c.nullable, exported: true, deferred: false, ...(c.enumValues ? { enumValues: c.enumValues } : {}) }));
    const rows = m.files.filter((f) => f.table === t.name).reduce((s, f) => s + f.rows, 0);
    const nullable = new Map(columns.map((c) => [c.name, c.nullable]));
    const info: TableInfo = Object.freeze({
      name: t.name, columns, primaryKey: t.primaryKey, uniques: [], indexes: [], checks: [], exported: true, rows, firstRow: 0,
      foreignKeys: t.foreignKeys.map((f) => ({ ...f, nullable: f.columns.every((c) => nullable.get(c) === true) })),
    });
    return { info, files: [...own], rows, canonical: !files?.[t.name] };
  });
}

/**
 * Opens a folder of CSV files: reads the manifest (or the files' headers and first rows) so every
 * table's shape is known before the run is assembled.
 */
export async function openCsvSource(o: CsvSourceOptions): Promise<CsvSources> {
  if (!o.dir === !o.reader) throw usageError('SOURCE_OPTIONS', 'the CSV source reads either a local directory (dir) or a reader (an S3 folder), one of them');
  const reader = o.reader ?? (await localDirectoryReader(o.dir!));
  const inferRows = o.inferRows ?? 1000;
  if (!Number.isInteger(inferRows) || inferRows < 1 || inferRows > 1_000_000) throw usageError('SOURCE_OPTIONS', `inferRows must be an integer from 1 to 1,000,000, not ${String(o.inferRows)}`);
  const text = o.manifest === false ? undefined : await readSmall(reader, 'manifest.json');
  if (text !== undefined) {
    const m = parseManifest(text, reader.location);
    if (m.tables?.length) return new CsvSources(reader.location, m, reader, fromManifest(m, o.files));
  }
  let files = o.files;
  if (!files) {
    if (!o.dir) throw usageError('SOURCE_FILES_UNKNOWN', `${reader.location} has no seedpipe manifest with table types; name the files per table (files) or read a folder an export wrote`);
    const found: Record<string, string[]> = {};
    for (const f of (await readdir(o.dir)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
      const m = TABLE_OF.exec(f);
      if (m && !f.startsWith('.') && f !== 'metadata.csv' && !f.startsWith('metadata.part-')) (found[m[1]!] ??= []).push(f);
    }
    files = found;
  }
  const tables: FileTable[] = [];
  for (const [name, list] of Object.entries(files)) {
    if (!list.length) continue;
    const records = await head(reader, list[0]!, inferRows + 1);
    if (!records.length) throw new SeedpipeError('SOURCE_CSV_MALFORMED', `${list[0]}: the file is empty; a CSV file starts with a header line`, { disposition: 'data-quality' });
    const columns = inferColumns(records[0]!, records.slice(1), o.columns?.[name]);
    const info: TableInfo = Object.freeze({ name, columns, primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 });
    tables.push({ info, files: [...list], rows: undefined, canonical: false });
  }
  if (!tables.length) throw usageError('SOURCE_NO_TABLES', `${reader.location} holds no .csv or .csv.gz files`);
  return new CsvSources(reader.location, undefined, reader, tables);
}
