/**
 * Options of the vector sink. Memory bound of the sink, whatever the row count:
 *   3 × embedBatch × (text + metadata + dimensions × 4 bytes)   (rows waiting for a group, and two
 *   groups in flight: one being embedded, one being upserted)
 *   + concurrency × batchVectors × dimensions × ~16 bytes        (upsert request bodies)
 * plus the one row batch being split by `write` (the pipeline's batch, default 4,096 rows).
 * With OpenAI at 1,536 dimensions: 3 × 2,048 × ~7 KB ≈ 43 MB (vectors are off the JS heap) plus
 * 4 × 100 × 25 KB ≈ 10 MB; with the local embedder (384 dimensions, groups of 1,000) ≈ 8 MB.
 */
import type { Embedder } from './embedders/types.js';
import type { VectorIndex } from './indexes/types.js';

/** How one dataset table becomes vectors. */
export interface EmbedSpec {
  /**
   * The text to embed for a row (e.g. `${row.title}\n${row.body}`). The row is an object keyed by
   * column name, with the values the other sinks receive. Must return a string.
   */
  text(row: Record<string, unknown>): string;
  /**
   * Metadata stored with the vector. Values are normalised: null/undefined dropped, Dates as ISO
   * strings, arrays as string arrays, other objects as JSON strings. Default: no metadata.
   * Strings are trimmed (longest first, one warning per table) to the index's per-vector limit
   * (Pinecone: 40 KB).
   */
  metadata?(row: Record<string, unknown>): Record<string, unknown>;
  /** Namespace (Pinecone) or table (LanceDB) to write into. Default: the dataset table's name. */
  namespace?: string;
}

export interface VectorSinkOptions {
  /** Turns texts into vectors (`makeEmbedder('local' | 'openai:<model>')`, optionally cached). */
  embedder: Embedder;
  /** Where vectors go (`vectorTarget('pinecone://…' | 'lancedb://…')`). Not closed by the sink. */
  index: VectorIndex;
  /** Tables to embed, by dataset table name. Tables without a spec are accepted and ignored. */
  specs: ReadonlyMap<string, EmbedSpec>;
  /**
   * Batches (embed + upsert of up to `batchVectors` rows) in flight at once, across all tables of
   * the sink. `write` waits for a free slot: this is the sink's backpressure. Default 4. Limit 1 – 64.
   * The embedder and the index have their own request concurrency on top.
   */
  concurrency?: number;
  /** Vectors per upsert call to the index. Default 100. Limit 1 – 2,048. */
  batchVectors?: number;
  /**
   * Texts per embedding call, independent of `batchVectors`: the embedder splits a call into
   * requests by the provider's limits (OpenAI: ≤ 2,048 inputs and ≤ 300k tokens per request).
   * Default: the embedder's `preferredBatch` (OpenAI 2,048), else 1,000. Limit 1 – 2,048.
   */
  embedBatch?: number;
  /**
   * Estimated upsert JSON bytes per batch (vectors printed with 9 significant digits, ids, metadata).
   * Default 2,000,000 (Pinecone's request limit). Limit 10,000 – 2,000,000. The index splits again by
   * its exact measure, so this only shapes batches.
   */
  maxRequestBytes?: number;
  /** Non-fatal notices (trimmed metadata), one per table and kind. Default: ignored. */
  warn?: (msg: string) => void;
}

export const VECTOR_SINK_DEFAULTS = Object.freeze({
  concurrency: 4,
  batchVectors: 100,
  maxRequestBytes: 2_000_000,
  embedBatch: 1000,
});
