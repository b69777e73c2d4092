/**
 * The vector-index seam: "an index that can upsert". Pinecone and LanceDB implement it; tests pass
 * ten-line fakes. Upserts are idempotent by id: writing the same id again replaces the record.
 */
import type { JournalEntry } from '../journal.js';

/** Metadata values every supported index accepts (Pinecone's rule set). */
export type MetadataValue = string | number | boolean | string[];

export interface VectorRecord {
  id: string;
  values: Float32Array | number[];
  metadata: Record<string, MetadataValue>;
}

export interface UpsertOptions {
  /** Stops retries and pending requests of this call. */
  signal?: AbortSignal;
}

export interface VectorIndex {
  /** Where the vectors go, for people: `pinecone://my-index`, `lancedb:///abs/dir`. No secrets. */
  readonly location?: string;
  /**
   * Largest metadata JSON per record the index accepts, in bytes (Pinecone: 40,960). The sink trims
   * metadata to it and warns once per table; the index trims again defensively.
   */
  readonly maxMetadataBytes?: number;
  /**
   * Checks access and that the index can hold vectors of `dimensions` (e.g. Pinecone's index
   * dimension). Called once before any upsert.
   */
  prepare?(opts: { dimensions: number }): Promise<void>;
  /** Writes records into `namespace`, replacing any with the same id. Resolves when durable. */
  upsert(namespace: string, records: VectorRecord[], opts?: UpsertOptions): Promise<void>;
  /** Records stored in `namespace` (may lag behind writes on eventually consistent indexes). */
  count?(namespace: string): Promise<number>;
  /** Counters since construction. */
  stats?(): IndexStats;
  /** Releases connections. */
  close?(): Promise<void>;
  /**
   * Where this target's run journals live (see `journal.ts`). With `undo`, the sink journals every
   * run and undoes it on abort; the next run undoes a killed one. Without, upserts cannot be undone.
   */
  readonly journalDir?: string;
  /** Undoing needs every id the run upserted (Pinecone: it deletes them). Default false. */
  readonly undoesById?: boolean;
  /** What to note before the run first writes `namespace` (LanceDB: the table's version, or none). */
  mark?(namespace: string): Promise<Record<string, unknown>>;
  /** Puts back what a run recorded in its journal; returns one phrase for people ("deleted 12 vectors …"). */
  undo?(entries: AsyncIterable<JournalEntry>): Promise<string>;
}

export interface IndexStats {
  /** Upsert requests sent (including failed attempts). */
  requests: number;
  retries: number;
  /** Records acknowledged by the index. */
  upserted: number;
  /** Records whose metadata was trimmed to fit `maxMetadataBytes`. */
  trimmedMetadata: number;
}
