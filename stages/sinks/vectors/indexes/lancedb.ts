/**
 * LanceDB (`@lancedb/lancedb`): an embedded, file-based vector store; `lancedb://<dir>`.
 *
 * One table per namespace with columns `id` (utf8), `vector` (fixed-size list of float32) and
 * `metadata` (the record's metadata as a JSON string: tables have a fixed schema and metadata keys
 * vary per dataset table, so they are not flattened into columns). Upsert by id with
 * `mergeInsert('id')`, so re-running overwrites instead of duplicating. Writes to one table are
 * serialised (concurrent merges on one table conflict); different tables write in parallel.
 *
 * Undo: every merge is a new table version, committed atomically (a kill mid-merge leaves the version
 * before it). A run notes each table's version before its first write (or that the table did not
 * exist) in its journal under `<dir>/.seedpipe-runs/`; undoing checks that version out and restores
 * it as the newest (the run's versions stay in the history, none is current), or drops a table the
 * run created. Another writer into the same table during the run would be rolled back with it.
 */
import { join, resolve } from 'node:path';
import type * as lancedb from '@lancedb/lancedb';
import type * as arrow from 'apache-arrow';
import pLimit, { type LimitFunction } from 'p-limit';
import { SeedpipeError, requireOptional } from '../../../../src/stage-kit.js';

/** LanceDB and the Arrow build it uses (optional peer dependencies, loaded on first use). */
const LANCEDB_PACKAGES = ['@lancedb/lancedb', 'apache-arrow'];
const LANCEDB_FEATURE = 'The LanceDB vector index (--vectors lancedb://…)';

import type { JournalEntry } from '../journal.js';
import type { IndexStats, MetadataValue, UpsertOptions, VectorIndex, VectorRecord } from './types.js';

/** The run journals of a LanceDB directory, inside it (LanceDB lists only its `*.lance` folders). */
export const LANCEDB_JOURNAL_DIR = '.seedpipe-runs';

export interface LanceDbIndexOptions {
  /** Database directory (created if missing). Relative paths resolve against `cwd`. */
  dir: string;
  /** Base for a relative `dir`. Default: the process's working directory. */
  cwd?: string;
}

export interface SearchHit {
  id: string;
  /** Cosine distance (0 = same direction, 2 = opposite). */
  distance: number;
  metadata: Record<string, MetadataValue>;
}

/** LanceDB table names: letters, digits, `_`, `-`, `.`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]+$/;

export class LanceDbIndex implements VectorIndex {
  readonly location: string;
  readonly dir: string;
  readonly journalDir: string;
  #db: Promise<lancedb.Connection> | undefined;
  readonly #tables = new Map<string, Promise<lancedb.Table>>();
  readonly #writers = new Map<string, LimitFunction>();
  /** Merges being written; undo and close wait for them (a drop under a running merge fails). */
  readonly #writing = new Set<Promise<unknown>>();
  readonly #stats: IndexStats = { requests: 0, retries: 0, upserted: 0, trimmedMetadata: 0 };
  #dimensions: number | undefined;
  readonly #lancedb: typeof lancedb;
  readonly #arrow: typeof arrow;

  constructor(opts: LanceDbIndexOptions) {
    this.#lancedb = requireOptional('@lancedb/lancedb', LANCEDB_FEATURE, LANCEDB_PACKAGES);
    // The CommonJS build, as LanceDB's own: Arrow's ESM build has other classes for the same types.
    this.#arrow = requireOptional('apache-arrow', LANCEDB_FEATURE, LANCEDB_PACKAGES);
    this.dir = resolve(opts.cwd ?? process.cwd(), opts.dir);
    this.location = `lancedb://${this.dir}`;
    this.journalDir = join(this.dir, LANCEDB_JOURNAL_DIR);
  }

  /** The table's version before this run writes it, or that it does not exist yet. */
  async mark(namespace: string): Promise<Record<string, unknown>> {
    const db = await this.#connect();
    const name = this.#tableName(namespace);
    if (!(await db.tableNames()).includes(name)) return { created: true };
    const t = await db.openTable(name);
    try {
      return { version: await t.version() };
    } finally {
      t.close();
    }
  }

  /** Restores each table the journal names to its version before the run; drops those it created. */
  async undo(entries: AsyncIterable<JournalEntry>): Promise<string> {
    const marks = new Map<string, Record<string, unknown>>();
    for await (const e of entries) if ('mark' in e && !marks.has(e.ns)) marks.set(e.ns, e.mark);
    if (marks.size === 0) return `nothing written to ${this.location}`;
    // Handles of this process point at versions the restore replaces.
    await this.#settleWrites();
    await this.#closeTables();
    const db = await this.#connect();
    const names = await db.tableNames();
    const done: string[] = [];
    for (const [ns, mark] of marks) {
      const name = this.#tableName(ns);
      if (!names.includes(name)) continue;
      if (mark.created === true) {
        await db.dropTable(name);
        done.push(`dropped table ${name} (created by the run)`);
        continue;
      }
      if (typeof mark.version !== 'number') continue;
      const t = await db.openTable(name);
      try {
        if ((await t.version()) === mark.version) continue;
        await t.checkout(mark.version);
        await t.restore();
        done.push(`table ${name} back to version ${mark.version}`);
      } finally {
        t.close();
      }
    }
    return done.length ? `rolled back ${this.location}: ${done.join(', ')}` : `nothing written to ${this.location}`;
  }

  stats(): IndexStats {
    return { ...this.#stats };
  }

  async prepare({ dimensions }: { dimensions: number }): Promise<void> {
    this.#dimensions = dimensions;
    await this.#connect();
  }

  #connect(): Promise<lancedb.Connection> {
    this.#db ??= this.#lancedb.connect(this.dir).catch((err: unknown) => {
      this.#db = undefined;
      throw new SeedpipeError('VECTORS_LANCEDB_OPEN', `Cannot open the LanceDB database at ${this.dir}: ${err instanceof Error ? err.message : String(err)}. Check that the directory is writable.`, { cause: err });
    });
    return this.#db;
  }

  #tableName(namespace: string): string {
    if (!TABLE_NAME.test(namespace)) {
      throw new SeedpipeError('VECTORS_NAMESPACE', `Namespace "${namespace}" is not a valid LanceDB table name (letters, digits, _ - . only). Set the table's vector namespace.`, { disposition: 'usage', data: { namespace } });
    }
    return namespace;
  }

  /** Opens the namespace's table, creating it (empty, with the vector size given) if missing. */
  #table(namespace: string, dimensions: number | undefined): Promise<lancedb.Table> | undefined {
    const name = this.#tableName(namespace);
    let t = this.#tables.get(name);
    if (t) return t;
    if (dimensions === undefined) return undefined;
    t = (async () => {
      const db = await this.#connect();
      const { Field, FixedSizeList, Float32, Schema, Utf8 } = this.#arrow;
      const schema = new Schema([
        new Field('id', new Utf8(), false),
        new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
        new Field('metadata', new Utf8(), true),
      ]);
      // Open an existing table as is (its schema is checked below); create a missing one empty.
      const table = (await db.tableNames()).includes(name)
        ? await db.openTable(name)
        : await db.createEmptyTable(name, schema, { existOk: true });
      const existing = (await table.schema()).fields.find((f) => f.name === 'vector');
      const size = (existing?.type as { listSize?: number } | undefined)?.listSize;
      if (size !== undefined && size !== dimensions) {
        throw new SeedpipeError('VECTORS_DIMENSION_MISMATCH', `LanceDB table ${name} in ${this.dir} holds ${size}-dimensional vectors but the embedder produces ${dimensions}. Use another namespace or directory, or the same embedder as before.`, { disposition: 'usage', data: { table: name, indexDimensions: size, embedderDimensions: dimensions } });
      }
      return table;
    })();
    t.catch(() => this.#tables.delete(name));
    this.#tables.set(name, t);
    return t;
  }

  async #existing(namespace: string): Promise<lancedb.Table | undefined> {
    const known = this.#table(namespace, undefined);
    if (known) return known;
    const db = await this.#connect();
    const name = this.#tableName(namespace);
    if (!(await db.tableNames()).includes(name)) return undefined;
    return db.openTable(name);
  }

  async upsert(namespace: string, records: VectorRecord[], opts: UpsertOptions = {}): Promise<void> {
    if (records.length === 0) return;
    opts.signal?.throwIfAborted();
    const dims = records[0]?.values.length ?? 0;
    if (this.#dimensions !== undefined && dims !== this.#dimensions) {
      throw new SeedpipeError('VECTORS_DIMENSION_MISMATCH', `Vector ${records[0]?.id} has ${dims} values, expected ${this.#dimensions}.`, { data: { namespace } });
    }
    const rows = records.map((r) => {
      if (r.values.length !== dims) throw new SeedpipeError('VECTORS_DIMENSION_MISMATCH', `Vector ${r.id} has ${r.values.length} values, expected ${dims}.`, { data: { namespace } });
      return { id: r.id, vector: r.values instanceof Float32Array ? r.values : Float32Array.from(r.values), metadata: JSON.stringify(r.metadata) };
    });
    let writer = this.#writers.get(namespace);
    if (!writer) {
      writer = pLimit(1);
      this.#writers.set(namespace, writer);
    }
    await writer(async () => {
      opts.signal?.throwIfAborted();
      const table = await this.#table(namespace, dims);
      if (!table) throw new Error('unreachable: table without dimensions');
      this.#stats.requests++;
      const merge = table.mergeInsert('id').whenMatchedUpdateAll().whenNotMatchedInsertAll().execute(rows);
      this.#writing.add(merge);
      try {
        await merge;
      } finally {
        this.#writing.delete(merge);
      }
      this.#stats.upserted += rows.length;
    });
  }

  async #settleWrites(): Promise<void> {
    while (this.#writing.size > 0) await Promise.allSettled([...this.#writing]);
  }

  async count(namespace: string): Promise<number> {
    const t = await this.#existing(namespace);
    return t ? t.countRows() : 0;
  }

  /** The `k` records nearest to `vector` by cosine distance (exact search unless an ANN index was built). */
  async search(namespace: string, vector: Float32Array | number[], k = 10): Promise<SearchHit[]> {
    const t = await this.#existing(namespace);
    if (!t) return [];
    const rows = await t.vectorSearch(vector instanceof Float32Array ? vector : Float32Array.from(vector)).distanceType('cosine').limit(k).toArray();
    return rows.map((r: { id: string; _distance: number; metadata: string | null }) => ({
      id: r.id,
      distance: r._distance,
      metadata: r.metadata ? JSON.parse(r.metadata) as Record<string, MetadataValue> : {},
    }));
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    await this.#settleWrites();
    await this.#closeTables();
    if (db) (await db.catch(() => undefined))?.close();
  }

  async #closeTables(): Promise<void> {
    const tables = [...this.#tables.values()];
    this.#tables.clear();
    for (const t of tables) {
      try {
        (await t).close();
      } catch {
        // A table that failed to open has nothing to release.
      }
    }
  }
}
