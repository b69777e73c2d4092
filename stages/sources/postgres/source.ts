/**
 * The Postgres source: the tables of an existing database, each streamed with one
 * `COPY (SELECT …) TO STDOUT (FORMAT csv)` (`pg-copy-streams`), all in one REPEATABLE READ READ ONLY
 * transaction, so every table comes from the same snapshot and foreign keys join in the output.
 *
 * Each batch is cut from the COPY stream at record boundaries without decoding it. Row values are
 * parsed only when a stage asked for them; otherwise the bytes pass straight through as the encoding
 * a sink asked for, when they are that encoding: the select list prints each column as the `csv`
 * encoder would (timestamps as ISO in UTC, booleans as true/false), so files are the same bytes
 * either way. A run that only copies into a database (no values, no csv) selects the columns as
 * Postgres prints them instead: microseconds, float digits and every type's own text survive.
 *
 * Rows come in primary key order (ties of a table without one in physical order, with synchronized
 * scans off), so the same database gives the same bytes twice.
 *
 * Memory per table: one batch plus the COPY stream's read-ahead (`highWaterMark`, 1 MiB); a slow
 * sink stops the reads and the socket stops the server.
 */
import copyStreams from 'pg-copy-streams';
import {
  SeedpipeError, csvRecordBatches, parseCsvRecords, qualified, readPgCatalog, valueParser,
  type Batch, type Encoder, type Source, type SourceRequest, type SourceSet, type TableEncoder, type TableInfo, type Values,
} from '../../../src/stage-kit.js';
import { connectReader, describeSource, sourceMessage, type CopyOutStream, type PgReadClient } from './client.js';
import type { PostgresSourceOptions } from './options.js';
import { sliceOf } from './ranges.js';
import { readTables, type ReadTable } from './tables.js';

const COPY_FORMATS = new Set(['copy-csv', 'copy-csv-final']);

export class PostgresSources implements SourceSet {
  readonly name = 'postgres';
  readonly tables: readonly Source[];
  /** Where the rows come from, for people: `postgres://host:port/db` (no user, no password). */
  readonly location: string;
  /** The database's name (`current_database()`). */
  readonly database: string;
  /** The URL, only to scrub its password from messages (a private field: never enumerated or printed). */
  readonly #url: string;
  private closed = false;
  /** Set when a table's COPY was left unfinished: the connection is mid-COPY and can only be closed. */
  broken = false;

  /** @internal use `openPostgresSource` */
  constructor(
    readonly client: PgReadClient,
    tables: readonly ReadTable[],
    slices: readonly { where: string; rows: number | undefined }[],
    o: PostgresSourceOptions & { database: string },
  ) {
    this.location = `postgres://${describeSource(o.url)}`;
    this.#url = o.url;
    this.database = o.database;
    this.tables = tables.map((t, i) => new PostgresTable(this, t, slices[i]!, o.highWaterMark ?? 1 << 20));
  }

  /** An error's message without the URL's password. */
  message(e: unknown): string {
    return sourceMessage(this.#url, e);
  }

  /** Ends the snapshot's transaction and the connection; called once by the pipeline, whatever happened. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.broken) await this.client.query('COMMIT').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}

class PostgresTable implements Source {
  readonly info: TableInfo;
  readonly rows: number | undefined;
  private readonly sameAsCsv: boolean;

  constructor(
    private readonly set: PostgresSources,
    private readonly t: ReadTable,
    private readonly slice: { where: string; rows: number | undefined },
    private readonly highWaterMark: number,
  ) {
    this.info = t.info;
    this.rows = slice.rows;
    this.sameAsCsv = t.columns.every((c) => c.sameAsCsv);
  }

  /** Every column in table order is what the copy-csv encoders write, and what csv writes when no column's text differs. */
  encodes(encoder: Encoder, _table: TableEncoder): boolean {
    if (COPY_FORMATS.has(encoder.format)) return true;
    return encoder.format === 'csv' && this.sameAsCsv && this.info.columns.every((c) => c.exported);
  }

  async *batches(req: SourceRequest): AsyncGenerator<Batch> {
    if (this.set.broken) throw new SeedpipeError('SOURCE_CONNECTION_BROKEN', `the source connection was left inside an unfinished COPY; open the source again to read table ${this.info.name}`);
    const raw = !req.rows && req.encode.every((e) => COPY_FORMATS.has(e.encoder.format));
    const list = this.t.columns.map((c) => (raw ? c.raw : c.canonical)).join(', ');
    const order = this.t.key.length ? ` ORDER BY ${this.t.key.join(', ')}` : '';
    const sql = `COPY (SELECT ${list} FROM ${qualified(this.info.name, this.info.schema)} WHERE ${this.slice.where}${order}) TO STDOUT WITH (FORMAT csv)`;
    const parsers = this.info.columns.map((c) => valueParser(this.info.name, c));
    const stream = this.set.client.query(copyStreams.to(sql, { highWaterMark: this.highWaterMark }) as unknown as CopyOutStream);
    let finished = false;
    let start = this.info.firstRow;
    try {
      for await (const rb of csvRecordBatches(stream as AsyncIterable<Buffer>, req.batchRows)) {
        const rows = req.rows ? this.parse(rb.bytes, start, parsers) : undefined;
        const encoded = new Map<string, Buffer>();
        for (const e of req.encode) encoded.set(e.encoder.format, rb.bytes);
        yield { table: this.info.name, start, count: rb.count, rows, encoded };
        start += rb.count;
      }
      finished = true;
    } catch (e) {
      throw e instanceof SeedpipeError ? e : new SeedpipeError('SOURCE_READ_FAILED', `reading table ${this.info.name} from ${this.set.location}: ${this.set.message(e)}`, { data: { table: this.info.name }, cause: e });
    } finally {
      // Ended early (a sink failed): the COPY is still running; only closing the connection stops it.
      if (!finished) {
        this.set.broken = true;
        stream.destroy();
      }
    }
  }

  private parse(bytes: Buffer, start: number, parsers: readonly ((s: string | null, row: number) => unknown)[]): Values[] {
    const records = parseCsvRecords(bytes.toString('utf8'), `table ${this.info.name}`);
    const n = parsers.length;
    return records.map((fields, r) => {
      if (fields.length !== n) throw new SeedpipeError('SOURCE_CSV_MALFORMED', `table ${this.info.name}: a record has ${fields.length} fields, the table ${n} columns`);
      const out = new Array<unknown>(n);
      for (let j = 0; j < n; j++) out[j] = parsers[j]!(fields[j]!, start + r);
      return out;
    });
  }
}

/**
 * Connects, opens the snapshot and reads the catalog: the tables, their order (parents first), row
 * counts and, with `shard`, each table's slice. The returned set is ready for `runPipeline`, which
 * closes it.
 */
export async function openPostgresSource(o: PostgresSourceOptions): Promise<PostgresSources> {
  const schema = o.schema ?? 'public';
  const client = await (o.connect ?? connectReader)(o.url);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Text forms independent of the server's settings; physical order stable between runs.
    await client.query(`SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL TimeZone = 'UTC'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 1; SET LOCAL synchronize_seqscans = off`);
    const catalog = await readPgCatalog(client, { schemas: [schema] });
    const tables = readTables(catalog, { schema, ...(o.tables ? { tables: o.tables } : {}), ...(o.exclude ? { exclude: o.exclude } : {}), generated: o.generated ?? 'include' });
    const unknownWhere = Object.keys(o.where ?? {}).filter((n) => !tables.some((t) => t.info.name === n));
    if (unknownWhere.length) throw new SeedpipeError('SOURCE_TABLE_UNKNOWN', `a row condition names table${unknownWhere.length > 1 ? 's' : ''} ${unknownWhere.join(', ')}, which the source does not read`, { disposition: 'usage' });
    const slices = [];
    const infos: ReadTable[] = [];
    for (const t of tables) {
      const filter = o.where?.[t.info.name] ? `(${o.where[t.info.name]})` : 'TRUE';
      const rel = qualified(t.info.name, schema);
      let slice = { where: filter, rows: undefined as number | undefined };
      if (o.shard && o.shard.count > 1) {
        const s = await sliceOf(client, t.info, t.key, t.partitioned, filter, o.shard);
        slice = { where: `${filter} AND ${s.where}`, rows: s.rows };
      }
      if (slice.rows === undefined) {
        slice.rows = (o.counts ?? 'exact') === 'exact'
          ? Number((await client.query(`SELECT count(*)::text AS n FROM ${rel} WHERE ${slice.where}`)).rows[0]!.n)
          : Math.max(0, Math.round(Number((await client.query(`SELECT reltuples AS n FROM pg_class WHERE oid = $1::regclass`, [rel])).rows[0]!.n)));
      }
      slices.push(slice);
      infos.push({ ...t, info: Object.freeze({ ...t.info, rows: slice.rows }) });
    }
    return new PostgresSources(client, infos, slices, { ...o, database: catalog.database });
  } catch (e) {
    await client.end().catch(() => undefined);
    if (e instanceof SeedpipeError) throw e;
    throw new SeedpipeError('SOURCE_READ_FAILED', `reading the catalog of ${describeSource(o.url)}: ${sourceMessage(o.url, e)}`, { cause: e });
  }
}
