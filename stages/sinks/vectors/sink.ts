/**
 * The vector sink: rows → text + metadata → embeddings → upserts, with id `<table>:<primary key>`.
 *
 * Backpressure: each table's `write` splits its row batch into batches of ≤ `batchVectors` rows and
 * hands them to a sink-wide pool of `concurrency` slots, resolving once the last one has a slot.
 * So at most `concurrency` batches are embedded or upserted at once, whatever the row count.
 *
 * Failure: the first error stops the sink (in-flight work is aborted, later writes and `close`
 * reject with it). An index has no transactions, so the sink keeps a journal (`journal.ts`) of what
 * it is about to write, before it writes, when the index can undo (`VectorIndex.undo`: Pinecone
 * deletes the ids the run upserted, LanceDB restores each table's version from before the run or
 * drops a table the run created). `abort` undoes from it; `commit` removes it; a journal left by a
 * killed process is undone when the next run into the same target opens. Ids are deterministic, so
 * re-running the same seed overwrites instead of adding duplicates.
 */
import { setMaxListeners } from 'node:events';
import { isSeedpipeError, Phases, SeedpipeError, SinkLifecycle, type RunInfo, type RunObserver, type Sink, type SinkBatch, type SinkInput, type SinkSummary, type TableInfo, type TableResult, type TableWriter, type Values } from '../../../src/stage-kit.js';
import { chunkBy, estimateRecordBytes, fitMetadata, normalizeMetadata } from './batching.js';
import type { Embedder } from './embedders/types.js';
import type { MetadataValue, VectorIndex, VectorRecord } from './indexes/types.js';
import { RunJournal, readJournal } from './journal.js';
import { removeVectorLeftovers } from './leftovers.js';
import { VECTOR_SINK_DEFAULTS, type EmbedSpec, type VectorSinkOptions } from './options.js';
import { Slots } from './slots.js';

interface Item {
  id: string;
  text: string;
  metadata: Record<string, MetadataValue>;
}

/** Builds the `<table>:<pk>` id, joining composite keys with ':'. */
export function vectorId(table: string, keyValues: readonly unknown[]): string {
  return `${table}:${keyValues.map((v) => (v instanceof Date ? v.toISOString() : String(v))).join(':')}`;
}

class NoopWriter implements TableWriter {
  constructor(private readonly table: string) {}
  async write(): Promise<void> {}
  async close(): Promise<TableResult> {
    return { table: this.table, rows: 0, bytes: 0, details: { skipped: 'no embedding spec for this table' } };
  }
}

class VectorTableWriter implements TableWriter {
  readonly #info: TableInfo;
  readonly #spec: EmbedSpec;
  readonly #sink: VectorSink;
  readonly #namespace: string;
  readonly #keyIdx: number[];
  readonly #names: string[];
  readonly #inFlight = new Set<Promise<void>>();
  /** Rows waiting for a full embedding group (at most one group's worth). */
  #pending: Item[] = [];
  #vectors = 0;
  #truncated = 0;
  #trimWarned = false;
  #closed = false;

  constructor(info: TableInfo, spec: EmbedSpec, sink: VectorSink) {
    this.#info = info;
    this.#spec = spec;
    this.#sink = sink;
    this.#namespace = spec.namespace ?? info.name;
    this.#names = info.columns.map((c) => c.name);
    this.#keyIdx = info.primaryKey.map((k) => {
      const i = this.#names.indexOf(k);
      if (i < 0) throw new SeedpipeError('VECTORS_PRIMARY_KEY', `Table ${info.name}: primary key column ${k} is not among its columns.`, { data: { table: info.name } });
      return i;
    });
  }

  async write(batch: SinkBatch): Promise<void> {
    this.#sink.throwIfFailed();
    if (this.#closed) throw new SeedpipeError('VECTORS_WRITE_AFTER_CLOSE', `Table ${this.#info.name}: write after close.`);
    if (batch.table !== this.#info.name) {
      throw new SeedpipeError('VECTORS_WRONG_TABLE', `Vector writer of table ${this.#info.name} received a batch of table ${batch.table}.`);
    }
    const rows = batch.rows;
    if (!rows || rows.length !== batch.count) {
      throw new SeedpipeError('VECTORS_NO_ROWS', `Table ${this.#info.name}: the batch at row ${batch.start} carries ${rows?.length ?? 0} of its ${batch.count} rows; the vector sink needs row values (input().rows).`, { data: { table: this.#info.name } });
    }
    let items: Item[];
    try {
      items = rows.map((row, i) => this.#item(row, batch.start + i));
    } catch (err) {
      this.#sink.fail(err);
      throw err;
    }
    // Embedding requests are sized to the provider (a group of `embedBatch` texts, which the
    // embedder splits by its own input and token limits), upserts to the index (`batchVectors`).
    this.#pending.push(...items);
    const group = this.#sink.limits.embedBatch;
    while (this.#pending.length >= group) await this.#dispatch(this.#pending.splice(0, group));
  }

  async #dispatch(group: Item[]): Promise<void> {
    await this.#sink.groups.acquire(this.#sink.signal);
    const p: Promise<void> = this.#run(group).finally(() => {
      this.#sink.groups.release();
      this.#inFlight.delete(p);
      this.#sink.inFlight.delete(p);
    });
    this.#inFlight.add(p);
    this.#sink.inFlight.add(p);
  }

  #item(row: Values, rowIndex: number): Item {
    const obj: Record<string, unknown> = {};
    for (let c = 0; c < this.#names.length; c++) obj[this.#names[c] as string] = row[c];
    const table = this.#info.name;
    let keyValues: unknown[];
    if (this.#keyIdx.length > 0) {
      keyValues = this.#keyIdx.map((i) => row[i]);
      if (keyValues.some((v) => v === null || v === undefined)) {
        throw new SeedpipeError('VECTORS_NULL_KEY', `Table ${table}, row ${rowIndex}: primary key ${this.#info.primaryKey.join(', ')} is null, so the vector has no id.`, { disposition: 'data-quality', data: { table, row: rowIndex } });
      }
    } else {
      // No primary key: the global row index is just as deterministic for a given seed and config.
      keyValues = [rowIndex];
    }
    let text: unknown;
    let metadata: Record<string, MetadataValue>;
    try {
      text = this.#spec.text(obj);
      metadata = this.#spec.metadata ? normalizeMetadata(this.#spec.metadata(obj)) : {};
    } catch (err) {
      throw new SeedpipeError('VECTORS_SPEC', `Table ${table}, row ${rowIndex}: the embedding text/metadata function threw: ${err instanceof Error ? err.message : String(err)}. Fix the table's vector spec.`, { disposition: 'data-quality', data: { table, row: rowIndex }, cause: err });
    }
    if (typeof text !== 'string') {
      throw new SeedpipeError('VECTORS_SPEC', `Table ${table}, row ${rowIndex}: the embedding text function returned ${typeof text}, not a string. Fix the table's vector spec.`, { disposition: 'data-quality', data: { table, row: rowIndex } });
    }
    const maxMeta = this.#sink.index.maxMetadataBytes;
    if (maxMeta !== undefined) {
      const fitted = fitMetadata(metadata, maxMeta);
      if (!fitted) {
        throw new SeedpipeError('VECTORS_METADATA_TOO_LARGE', `Table ${table}, row ${rowIndex}: metadata cannot fit the index's ${maxMeta} bytes per vector even with strings emptied. Return fewer fields.`, { disposition: 'data-quality', data: { table, row: rowIndex } });
      }
      if (fitted.trimmed.length > 0 && !this.#trimWarned) {
        this.#trimWarned = true;
        this.#sink.warn(`Table ${table}: vector metadata over ${maxMeta} bytes was trimmed (fields ${fitted.trimmed.join(', ')}, first at row ${rowIndex}). Shorten those fields in the table's vector spec to keep them whole.`);
      }
      metadata = fitted.metadata;
    }
    const id = vectorId(table, keyValues);
    const fitted = this.#sink.embedder.fit?.(text) ?? { text, truncated: false };
    if (fitted.truncated && this.#truncated++ === 0) {
      this.#sink.warn(`Table ${table}: texts over the embedding model's ${this.#sink.embedder.maxInputTokens?.toLocaleString('en-US')}-token limit are cut to it (first: ${id}); the summary counts them.`);
    }
    return { id, text: fitted.text, metadata };
  }

  /** Embeds a group; a request the provider rejects is split until the one text it rejects is named. */
  async #embed(group: Item[], signal: AbortSignal): Promise<Float32Array[]> {
    try {
      return await this.#sink.embedder.embed(group.map((u) => u.text), signal);
    } catch (err) {
      if (!isSeedpipeError(err) || err.code !== 'EMBEDDINGS_BAD_REQUEST' || signal.aborted) throw err;
      if (group.length === 1) {
        throw new SeedpipeError('EMBEDDINGS_ROW_REJECTED', `Table ${this.#info.name}, vector ${group[0]!.id}: the provider rejects its text (${group[0]!.text.length.toLocaleString('en-US')} characters): ${err.message}`, { disposition: 'data-quality', data: { table: this.#info.name, id: group[0]!.id }, cause: err });
      }
      const half = Math.ceil(group.length / 2);
      return [...(await this.#embed(group.slice(0, half), signal)), ...(await this.#embed(group.slice(half), signal))];
    }
  }

  async #run(group: Item[]): Promise<void> {
    const signal = this.#sink.signal;
    let step = 'embedding';
    // The first failure stops the sink at once (chunks still waiting for a slot give up), whatever
    // chunk it came from. Embedders and indexes of this folder throw coded errors; anything else gets one.
    const stop = (err: unknown): void => this.#sink.fail(isSeedpipeError(err) || signal.aborted ? err : new SeedpipeError(
      step === 'embedding' ? 'EMBEDDINGS_FAILED' : 'VECTORS_UPSERT_FAILED',
      `Table ${this.#info.name}: ${step} ${group.length} row(s) from ${group[0]?.id ?? '?'} failed: ${err instanceof Error ? err.message : String(err)}`,
      { data: { table: this.#info.name, namespace: this.#namespace }, cause: err },
    ));
    try {
      const vectors = await this.#embed(group, signal);
      step = 'upserting';
      const limits = this.#sink.limits;
      const dims = this.#sink.embedder.dimensions;
      const chunks = [...chunkBy(group.map((u, i) => ({ u, v: vectors[i] as Float32Array })), {
        maxItems: limits.batchVectors,
        maxWeight: limits.maxRequestBytes,
        weight: (x) => estimateRecordBytes(x.u.id, x.u.metadata, dims),
      })];
      // Settled, not raced: the undo that follows an abort must not start while another chunk's
      // upsert is still being written.
      await Promise.allSettled(chunks.map(async (chunk) => {
        await this.#sink.slots.acquire(signal);
        try {
          const records: VectorRecord[] = chunk.map(({ u, v }) => ({ id: u.id, values: v, metadata: u.metadata }));
          signal.throwIfAborted();
          await this.#sink.journal(this.#namespace, records);
          await this.#sink.index.upsert(this.#namespace, records, { signal });
          this.#vectors += chunk.length;
        } catch (err) {
          stop(err);
        } finally {
          this.#sink.slots.release();
        }
      }));
    } catch (err) {
      stop(err);
    }
  }

  async close(): Promise<TableResult> {
    this.#closed = true;
    if (this.#pending.length > 0) await this.#dispatch(this.#pending.splice(0));
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#sink.throwIfFailed();
    return {
      table: this.#info.name,
      rows: this.#vectors,
      bytes: this.#vectors * this.#sink.embedder.dimensions * 4,
      details: { namespace: this.#namespace, embedder: this.#sink.embedder.id, location: this.#sink.location, textsTruncated: this.#truncated },
    };
  }
}

export class VectorSink implements Sink {
  readonly name = 'vectors';
  readonly embedder: Embedder;
  readonly index: VectorIndex;
  readonly specs: ReadonlyMap<string, EmbedSpec>;
  readonly limits: { concurrency: number; batchVectors: number; maxRequestBytes: number; embedBatch: number };
  /** @internal upserts in flight, shared by the table writers */
  readonly slots: Slots;
  /** @internal embedding groups in flight: one being embedded while the one before is upserted */
  readonly groups = new Slots(2);
  /** @internal every batch in flight, across tables */
  readonly inFlight = new Set<Promise<void>>();
  readonly #ctl = new AbortController();
  readonly #warn: (msg: string) => void;
  #failure: unknown;
  readonly #life = new SinkLifecycle({ sink: 'vector', stateCode: 'VECTORS_SINK_STATE', undo: (reason) => this.#stop(reason) });
  /** What this run writes, before it writes it (only for an index that can undo). */
  readonly #journal: RunJournal | undefined;
  /** Per namespace: its mark is in the journal once this settles. */
  readonly #marks = new Map<string, Promise<void>>();

  constructor(opts: VectorSinkOptions) {
    this.embedder = opts.embedder;
    this.index = opts.index;
    this.specs = opts.specs;
    this.limits = {
      concurrency: clamp(opts.concurrency ?? VECTOR_SINK_DEFAULTS.concurrency, 1, 64),
      batchVectors: clamp(opts.batchVectors ?? VECTOR_SINK_DEFAULTS.batchVectors, 1, 2048),
      maxRequestBytes: clamp(opts.maxRequestBytes ?? VECTOR_SINK_DEFAULTS.maxRequestBytes, 10_000, 2_000_000),
      embedBatch: clamp(opts.embedBatch ?? opts.embedder.preferredBatch ?? VECTOR_SINK_DEFAULTS.embedBatch, 1, 2048),
    };
    this.slots = new Slots(this.limits.concurrency);
    // Every in-flight batch listens to this signal (and the SDKs under it): bounded by concurrency.
    setMaxListeners(0, this.#ctl.signal);
    this.#warn = opts.warn ?? (() => {});
    this.#journal = opts.index.journalDir && opts.index.undo ? new RunJournal(opts.index.journalDir) : undefined;
  }

  /** @internal Records in the journal what is about to be upserted into `namespace`. */
  async journal(namespace: string, records: readonly VectorRecord[]): Promise<void> {
    const journal = this.#journal;
    if (!journal) return;
    let marked = this.#marks.get(namespace);
    if (!marked) {
      marked = (async () => journal.append({ ns: namespace, mark: (await this.index.mark?.(namespace)) ?? {} }))();
      this.#marks.set(namespace, marked);
    }
    await marked;
    if (this.index.undoesById) await journal.append({ ns: namespace, ids: records.map((r) => r.id) });
  }

  get location(): string {
    return this.index.location ?? 'vectors';
  }

  get signal(): AbortSignal {
    return this.#ctl.signal;
  }

  warn(msg: string): void {
    this.#warn(msg);
  }

  /** @internal Records the first failure and stops all in-flight work. */
  fail(err: unknown): void {
    if (this.#failure !== undefined) return;
    this.#failure = err;
    this.#ctl.abort(err);
  }

  /** @internal */
  throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Row values (to build texts and ids), only for tables with a spec; no encoding. */
  input(info: TableInfo): SinkInput {
    return this.specs.has(info.name) ? { rows: true } : {};
  }

  readonly #phases = new Phases('vectors');

  open(run: RunInfo, observer?: RunObserver): Promise<void> {
    this.#phases.observe(observer);
    return this.#life.open(async () => {
      if (!run.tables.some((t) => this.specs.has(t.name))) return;
      // Fail before any generation when the key is wrong or the index cannot hold these vectors.
      await this.#phases.step('checking the index', async () => this.index.prepare?.({ dimensions: this.embedder.dimensions }));
      // A run killed before it could undo left its journal: undo it before writing over it.
      if (this.#journal) {
        const left = await this.#phases.step('undoing killed runs', async () => removeVectorLeftovers(this.index));
        for (const line of left.removed) this.warn(line);
      }
    });
  }

  async table(info: TableInfo): Promise<TableWriter> {
    this.#life.assertOpen(`table ${info.name}`);
    this.throwIfFailed();
    const spec = this.specs.get(info.name);
    return spec ? new VectorTableWriter(info, spec, this) : new NoopWriter(info.name);
  }

  commit(results: readonly TableResult[]): Promise<SinkSummary> {
    return this.#life.commit(() => this.#finish(results));
  }

  async #finish(results: readonly TableResult[]): Promise<SinkSummary> {
    await this.#phases.step('last upserts', async () => {
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    });
    this.throwIfFailed();
    await this.#journal?.remove();
    const e = this.embedder.stats?.();
    const x = this.index.stats?.();
    return {
      sink: this.name,
      location: this.location,
      tables: results,
      extra: {
        embedder: this.embedder.id,
        dimensions: this.embedder.dimensions,
        vectors: results.reduce((n, r) => n + r.rows, 0),
        textsTruncated: results.reduce((n, r) => n + (Number(r.details?.textsTruncated) || 0), 0),
        ...(this.embedder.maxInputTokens !== undefined ? { maxInputTokens: this.embedder.maxInputTokens } : {}),
        ...(e ? { embeddingRequests: e.requests, embeddingRetries: e.retries, textsEmbedded: e.texts, tokens: e.tokens, cacheHits: e.cacheHits } : {}),
        ...(x ? { upsertRequests: x.requests, upsertRetries: x.retries, trimmedMetadata: x.trimmedMetadata } : {}),
      },
    };
  }

  /**
   * Stops in-flight embedding and upserts, waits for them to settle, then undoes the run from its
   * journal (an index without `undo`: vectors already upserted stay; a re-run overwrites them by id).
   * An undo that fails keeps the journal, so the next run or `seedpipe clean --vectors` finishes it.
   * No-op after `commit`.
   */
  abort(reason: unknown): Promise<void> {
    return this.#life.abort(reason);
  }

  get undone(): string | undefined {
    return this.#life.undone;
  }

  async #stop(reason: unknown): Promise<string> {
    if (!this.#ctl.signal.aborted) this.#ctl.abort(reason ?? new SeedpipeError('VECTORS_ABORTED', 'The vector sink was aborted.'));
    if (this.#failure === undefined) this.#failure = this.#ctl.signal.reason;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled([...this.#marks.values()]);
    const journal = this.#journal;
    if (!journal) {
      const upserted = this.index.stats?.().requests;
      return `stopped the upserts to ${this.location}${upserted ? ` (vectors already upserted stay; a re-run overwrites them by id)` : ''}`;
    }
    if (!journal.started) return `stopped the upserts to ${this.location} (none had been sent)`;
    try {
      const what = await this.index.undo!(readJournal(journal.path));
      await journal.remove();
      return what;
    } catch (err) {
      await journal.release();
      const why = err instanceof Error ? err.message : String(err);
      return `could not undo the upserts to ${this.location} (${why.replace(/\.+$/, '')}); the next run into it, or seedpipe clean --vectors ${this.location}, removes them`;
    }
  }
}

function clamp(n: number, lo: number, hi: number): number {
  if (!Number.isFinite(n)) return hi;
  return Math.min(hi, Math.max(lo, Math.floor(n)));
}
