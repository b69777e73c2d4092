/**
 * The pipeline's seams, one contract per stage kind (ARCHITECTURE.md tells the whole story):
 *
 *   Source ──► Transform* ──► Encoder (one per format a sink asks for) ──► Sink
 *
 * A `Batch` holds consecutive rows of one table: their values when some stage needs them, and any
 * encodings already made (the generator writes each row into off-heap buffers as soon as it exists).
 * Each sink declares per table the encoding it needs and whether it needs row values; the pipeline
 * makes every encoding once per batch and hands each sink exactly what it asked for. Every `await`
 * is per batch, never per row, and every `write` is awaited before the next batch: backpressure.
 */
import type { ByteBuffer } from './encode/bytes.js';
import type { RunInfo, TableInfo } from './tables.js';

export type * from './tables.js';

/** Row values in a table's column order (`TableInfo.columns`). */
export type Values = readonly unknown[];

/** Consecutive rows of one table, as a source or a transform yields them. */
export interface Batch {
  readonly table: string;
  /**
   * Source position (global row index) of the first row. Rows keep their order through every stage;
   * after a transform that drops rows they are no longer `start`, `start + 1`, …
   */
  readonly start: number;
  readonly count: number;
  /** Row values; `undefined` when no stage asked for them (the generator then keeps bytes only). */
  readonly rows: readonly Values[] | undefined;
  /** Encodings already made, by format (the fast path); the pipeline makes the others from `rows`. */
  readonly encoded: ReadonlyMap<string, Buffer>;
}

// ── Sources ─────────────────────────────────────────────────────────────────────────────────────

/** What the pipeline asks of a source for one table. */
export interface SourceRequest {
  /** Rows per batch (a target; the last batch may be smaller). */
  readonly batchRows: number;
  /** Whether batches must carry row values. */
  readonly rows: boolean;
  /** Encodings the source makes itself (those `Source.encodes` accepted), keyed in `Batch.encoded` by format. */
  readonly encode: readonly { readonly encoder: Encoder; readonly table: TableEncoder }[];
}

/** Row batches of one table. */
export interface Source {
  readonly info: TableInfo;
  /** Rows the source will yield, when known (progress and ETA); `undefined` otherwise. */
  readonly rows: number | undefined;
  /** Whether the source can make this encoding while it produces rows; default: no. */
  encodes?(encoder: Encoder, table: TableEncoder): boolean;
  /** The batches, in order. Ending the iteration early must release what the source holds. */
  batches(request: SourceRequest): AsyncIterable<Batch>;
}

/** The sources of one run, one per table in load order (parents first), sharing what they need. */
export interface SourceSet {
  readonly name: string;
  readonly tables: readonly Source[];
  /**
   * Checks and shared resources (the generator's preflight and worker threads); before any sink
   * opens. Long steps are reported to `observer`.
   */
  open?(observer?: RunObserver): Promise<void>;
  /** Releases what `open` took; called once, whatever happened. */
  close?(): Promise<void>;
}

// ── Transforms ──────────────────────────────────────────────────────────────────────────────────

/** Rewrites row batches: add, drop, rename or rewrite columns, filter rows. */
export interface Transform {
  readonly name: string;
  /** This transform for one table, its output shape declared from the input's; `null` leaves the table as it is. */
  forTable(input: TableInfo): TableTransform | null;
}

export interface TableTransform {
  /** The table as it leaves the transform (its columns are the order of the rows `apply` returns). */
  readonly info: TableInfo;
  /**
   * Rows in the input's column order → rows in `info.columns` order, possibly fewer (a filter). Called
   * once per batch, in order; may keep state across batches (a sample's counter), never the rows.
   */
  apply(rows: readonly Values[], start: number): readonly Values[] | Promise<readonly Values[]>;
}

// ── Encoders ────────────────────────────────────────────────────────────────────────────────────

/** Turns row values into the bytes of one format (`csv`, `copy-csv`, …). */
export interface Encoder {
  /** The format name sinks ask for. */
  readonly format: string;
  /**
   * URL of a module exporting `encoders`, a record of format → encoder holding this one, so generation
   * workers can make the encoding where the rows are made (no row values cross threads). Without it,
   * the encoding is made in the main thread. Options that change the bytes must not be lost this way.
   */
  readonly module?: string;
  forTable(info: TableInfo): TableEncoder;
}

export interface TableEncoder {
  /**
   * Equal identities mean equal bytes for every batch of this table (e.g. `copy-csv` of a table with
   * nothing hidden or deferred is its `csv`): the pipeline makes such encodings once and shares them.
   * An encoder whose `trailer` depends on the batches must not share its identity.
   */
  readonly identity: string;
  /** Bytes that open the table's stream (a CSV header); empty for none. */
  readonly header: Buffer;
  /** Bytes that close the stream after the last batch (e.g. a binary COPY trailer); default none. */
  trailer?(): Buffer;
  /** One row's encoding, stateless: lets a source append each row to an off-heap buffer as it is made. */
  line?(values: Values, index: number): string;
  /** The same for a binary encoding (PGCOPY): appends one row's bytes to `out`. An encoder has `line` or this, for the fast path. */
  appendRow?(values: Values, index: number, out: ByteBuffer): void;
  /** A batch's encoding (rows in `info.columns` order; `start` is the first row's index, for messages). */
  encode(rows: readonly Values[], start: number): Buffer;
}

// ── Sinks ───────────────────────────────────────────────────────────────────────────────────────

/** What a sink consumes of one table. Nothing (`{}`) means the sink only counts the batches. */
export interface SinkInput {
  /** The encoding to receive in `SinkBatch.bytes` (an encoder's format). */
  readonly format?: string;
  /**
   * The encoding to receive instead when no encoder of the run makes `format`, or when the source
   * makes this one itself and not `format` (`TableStream.format` says which the sink got).
   */
  readonly orElse?: string;
  /** Whether `SinkBatch.rows` must carry the row values. */
  readonly rows?: boolean;
}

/** The encoded stream of one table, as the sink asked for it. */
export interface TableStream {
  readonly format: string | undefined;
  /** Write first (the CSV header); empty for none. */
  readonly header: Buffer;
  /** Write last, after the last batch; empty for none. */
  trailer(): Buffer;
}

/** What a sink's table writer receives: exactly the encoding (and row values) it declared. */
export interface SinkBatch {
  readonly table: string;
  readonly start: number;
  readonly count: number;
  /** Present when the sink's `input` asked for rows. */
  readonly rows: readonly Values[] | undefined;
  /** The declared encoding of these rows; empty when the sink declared none. */
  readonly bytes: Buffer;
}

export interface TableResult {
  table: string;
  rows: number;
  bytes: number;
  /** Sink-specific facts for the summary/manifest (sha256, ETag, path, …). */
  details?: Record<string, unknown>;
}

/** Per-table writer: `write` resolves when the batch is accepted (this is the backpressure). */
export interface TableWriter {
  write(batch: SinkBatch): Promise<void>;
  /** Resolves when the table's data is durable in this sink (or staged for the run's commit). */
  close(): Promise<TableResult>;
}

/**
 * A destination. Lifecycle: `open` → `table` (once per table, in load order) → `commit` | `abort`.
 * It settles only when its data is durable and undoes itself on abort (the sink kit's
 * `SinkLifecycle` gives every sink the same state machine).
 */
export interface Sink {
  readonly name: string;
  /**
   * What this sink consumes of a table: asked before `open` (to check every format has an encoder)
   * and again after every sink opened, which answer counts (a sink may choose by what `open` found).
   */
  input(info: TableInfo): SinkInput;
  /**
   * Prepare (connect, create folders, check access). Nothing visible to users yet. The steps of
   * `open` and `commit` that take time (setting keys aside, rebuilding them, completing uploads)
   * are reported to `observer`, which stays valid until the sink settles.
   */
  open(run: RunInfo, observer?: RunObserver): Promise<void>;
  /** Called once per table, in plan order, before its batches. */
  table(info: TableInfo, stream: TableStream): Promise<TableWriter>;
  /**
   * All tables written, before any sink commits: write everything the commit needs that can fail
   * (a full disk, permissions) without making anything visible — e.g. a manifest under a temporary
   * name. A failure here aborts the whole run, the database included. Optional; once.
   */
  stage?(results: readonly TableResult[]): Promise<void>;
  /** All tables written: make the run durable and visible (commit, rename, manifest). Once. */
  commit(results: readonly TableResult[]): Promise<SinkSummary>;
  /** Undo everything this run wrote. Safe at any point and more than once; after `commit` it does nothing. */
  abort(reason: unknown): Promise<void>;
  /** After `abort`: what it undid, one phrase for people ("rolled back the transaction on …"). */
  readonly undone?: string | undefined;
}

export interface SinkSummary {
  sink: string;
  /** Where the data went, for people (no secrets). */
  location: string;
  tables: readonly TableResult[];
  extra?: Record<string, unknown>;
}

// ── Observing a run ─────────────────────────────────────────────────────────────────────────────

/**
 * A step of a run that is not rows: preparing (preflight, connecting, setting constraints aside)
 * or finishing (keys, indexes, foreign keys, sequences, analyse, completing uploads, manifest).
 * Each step reports `start`, optionally `progress`, then `end` (also when it fails).
 */
export interface PhaseEvent {
  /** Who reports it: a sink's or source set's name, or `run`. */
  readonly stage: string;
  /** The step, for people: `preflight`, `foreign keys`, `completing uploads`. */
  readonly phase: string;
  readonly state: 'start' | 'progress' | 'end';
  /** Units done so far, and in all, when the step is countable (3 of 12 foreign keys). */
  readonly done?: number;
  readonly total?: number;
  /** What the step works on now (a table, a constraint). */
  readonly detail?: string;
  /** On `end`: the step threw (the run is failing; its error says why). */
  readonly failed?: boolean;
}

/** Receives a run's phases: the pipeline passes one to the sources and to every sink it opens. */
export interface RunObserver {
  phase(e: PhaseEvent): void;
}
