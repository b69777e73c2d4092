/**
 * Pinecone through `@pinecone-database/pinecone` 8.x.
 *
 * Every upsert request stays within Pinecone's documented limits: ≤ 1,000 vectors and ≤ 2 MB of
 * JSON (measured exactly on the serialised records, values printed with 9 significant digits, which
 * round-trips float32), metadata ≤ 40 KB per vector (longest strings trimmed first). Requests run
 * with bounded concurrency (p-limit) and are retried with backoff on 429, 5xx and network errors,
 * honouring `retry-after`. The SDK's own retries are off (`maxRetries: 0`) and its errors carry no
 * HTTP status, so a wrapped `fetch` records each attempt's status and headers in an
 * AsyncLocalStorage slot that the retry policy reads.
 *
 * Undo (with `journalDir`): the sink journals every id before it is upserted; undoing deletes them
 * with `deleteMany` (≤ 1,000 ids per request, Pinecone's limit), retried like upserts. Ids are
 * `<table>:<key>`, the same in every run of a seed, so an aborted run also removes what an earlier
 * run had written under those ids; a re-run writes them again.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import type { Pinecone, Index } from '@pinecone-database/pinecone';
import pLimit, { type LimitFunction } from 'p-limit';
import { SeedpipeError, isSeedpipeError, redact, requireOptional } from '../../../../src/stage-kit.js';
import { chunkBy, fitMetadata, toWireRecord, upsertEnvelopeBytes, wireRecordBytes, type WireRecord } from '../batching.js';
import { RetriesExhaustedError, parseRetryAfter, withRetry, type RetryOptions, type Verdict } from '../retry.js';
import type { JournalEntry } from '../journal.js';
import type { IndexStats, UpsertOptions, VectorIndex, VectorRecord } from './types.js';

/** Pinecone limit: vectors per upsert request. */
export const PINECONE_MAX_BATCH_VECTORS = 1000;
/** Pinecone limit: upsert request body, bytes (2 MB, read as 2,000,000 to stay on the safe side). */
export const PINECONE_MAX_REQUEST_BYTES = 2_000_000;
/** Pinecone limit: metadata JSON per vector, bytes (40 KB). */
export const PINECONE_MAX_METADATA_BYTES = 40_960;

export interface PineconeIndexOptions {
  /** API key of the project that owns the index. Never printed. */
  apiKey: string;
  /** Index name (as in the Pinecone console). */
  indexName: string;
  /**
   * Data-plane host of the index. Default: discovered with describeIndex on the control plane.
   * A host without a scheme is treated as https.
   */
  host?: string;
  /** Control-plane URL. Default `https://api.pinecone.io`. */
  controllerHostUrl?: string;
  /** Upsert requests in flight at once, across all calls. Default 4. Limit 1 – 32. */
  concurrency?: number;
  /** Vectors per upsert request. Default and limit 1,000. */
  maxBatchVectors?: number;
  /** JSON bytes per upsert request. Default and limit 2,000,000. */
  maxRequestBytes?: number;
  /** Metadata JSON bytes per vector before trimming. Default and limit 40,960. */
  maxMetadataBytes?: number;
  /** Retry policy for 429, 5xx and network errors. */
  retry?: RetryOptions;
  /** Receives one warning per namespace whose metadata had to be trimmed. Default: none. */
  warn?: (msg: string) => void;
  /** fetch implementation. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Directory of this index's run journals (lets runs undo their upserts). Default: none, no undo. */
  journalDir?: string;
}

/** Pinecone limit: ids per delete request. */
export const PINECONE_MAX_DELETE_IDS = 1000;

interface AttemptInfo {
  status?: number;
  headers?: Headers;
}

function stripScheme(host: string): string {
  return host.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/** Longest wait, at undo, for requests still on their way. */
const UNDO_SETTLE_MS = 30_000;

export class PineconeIndex implements VectorIndex {
  readonly location: string;
  readonly maxMetadataBytes: number;
  readonly journalDir: string | undefined;
  readonly undoesById = true;
  readonly #opts: PineconeIndexOptions;
  readonly #pc: Pinecone;
  readonly #als = new AsyncLocalStorage<AttemptInfo>();
  /** HTTP requests on their way: an abort rejects the call at once, but the request may still land. */
  readonly #sent = new Set<Promise<Response>>();
  /** Set when an undo starts: no upsert may reach the index after it (it would outlive the undo). */
  #undoing = false;
  readonly #limit: LimitFunction;
  readonly #maxBatch: number;
  readonly #maxBytes: number;
  readonly #warnedNamespaces = new Set<string>();
  readonly #stats: IndexStats = { requests: 0, retries: 0, upserted: 0, trimmedMetadata: 0 };
  #index: Index | undefined;
  #host: string | undefined;

  constructor(opts: PineconeIndexOptions) {
    if (!opts.apiKey) {
      throw new SeedpipeError('VECTORS_CONFIG', `No Pinecone API key for index ${opts.indexName}. Set PINECONE_API_KEY.`, { disposition: 'usage' });
    }
    if (!opts.indexName && !opts.host) {
      throw new SeedpipeError('VECTORS_CONFIG', 'A Pinecone target needs an index name (pinecone://<index>) or a host (?host=…).', { disposition: 'usage' });
    }
    this.#opts = opts;
    this.location = `pinecone://${opts.indexName}`;
    this.journalDir = opts.journalDir;
    this.maxMetadataBytes = clamp(opts.maxMetadataBytes ?? PINECONE_MAX_METADATA_BYTES, 1, PINECONE_MAX_METADATA_BYTES);
    this.#maxBatch = clamp(opts.maxBatchVectors ?? PINECONE_MAX_BATCH_VECTORS, 1, PINECONE_MAX_BATCH_VECTORS);
    this.#maxBytes = clamp(opts.maxRequestBytes ?? PINECONE_MAX_REQUEST_BYTES, 1024, PINECONE_MAX_REQUEST_BYTES);
    this.#limit = pLimit(clamp(opts.concurrency ?? 4, 1, 32));
    this.#host = opts.host;
    const baseFetch = opts.fetch ?? fetch;
    const als = this.#als;
    const sent = this.#sent;
    const undoing = (): boolean => this.#undoing;
    const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (undoing() && path.endsWith('/vectors/upsert')) throw new SeedpipeError('VECTORS_ABORTED', 'The vector sink was aborted: no upsert after its undo began.');
      const request = baseFetch(input, init);
      sent.add(request);
      let res: Response;
      try {
        res = await request;
      } finally {
        sent.delete(request);
      }
      const slot = als.getStore();
      if (slot) {
        slot.status = res.status;
        slot.headers = res.headers;
      }
      return res;
    };
    const sdk = requireOptional<typeof import('@pinecone-database/pinecone')>('@pinecone-database/pinecone', 'The Pinecone vector index (--vectors pinecone://…)');
    this.#pc = new sdk.Pinecone({
      apiKey: opts.apiKey,
      ...(opts.controllerHostUrl ? { controllerHostUrl: opts.controllerHostUrl } : {}),
      fetchApi: recordingFetch as never,
      maxRetries: 0,
      sourceTag: 'seedpipe',
    });
  }

  stats(): IndexStats {
    return { ...this.#stats };
  }

  #handle(): Index {
    this.#index ??= this.#pc.index(this.#host ? { name: this.#opts.indexName, host: this.#host } : { name: this.#opts.indexName });
    return this.#index;
  }

  /** Resolves the host when not given, and checks access and the index's dimension. */
  async prepare({ dimensions }: { dimensions: number }): Promise<void> {
    let indexDims: number | undefined;
    if (!this.#host) {
      const model = await this.#call('describe index', () => this.#pc.describeIndex(this.#opts.indexName));
      this.#host = model.host;
      indexDims = model.dimension ?? undefined;
    } else {
      const stats = await this.#call('describe index stats', () => this.#handle().describeIndexStats());
      indexDims = stats.dimension;
    }
    if (indexDims !== undefined && indexDims !== dimensions) {
      throw new SeedpipeError('VECTORS_DIMENSION_MISMATCH',
        `Pinecone index ${this.#opts.indexName} holds ${indexDims}-dimensional vectors but the embedder produces ${dimensions}. Choose an embedder with ${indexDims} dimensions (e.g. the dimensions option) or an index created with dimension ${dimensions}.`,
        { disposition: 'usage', data: { index: this.#opts.indexName, indexDimensions: indexDims, embedderDimensions: dimensions } });
    }
  }

  async count(namespace: string): Promise<number> {
    const stats = await this.#call('describe index stats', () => this.#handle().describeIndexStats());
    return stats.namespaces?.[namespace]?.recordCount ?? 0;
  }

  async upsert(namespace: string, records: VectorRecord[], opts: UpsertOptions = {}): Promise<void> {
    if (records.length === 0) return;
    const wire: { rec: WireRecord; bytes: number }[] = [];
    for (const r of records) {
      const fitted = fitMetadata(r.metadata, this.maxMetadataBytes);
      if (!fitted) {
        throw new SeedpipeError('VECTORS_METADATA_TOO_LARGE',
          `Metadata of vector ${r.id} cannot be trimmed under Pinecone's ${this.maxMetadataBytes} bytes per vector (too many non-string fields). Return fewer fields from the table's metadata function.`,
          { disposition: 'data-quality', data: { id: r.id, namespace } });
      }
      if (fitted.trimmed.length > 0) {
        this.#stats.trimmedMetadata++;
        if (!this.#warnedNamespaces.has(namespace)) {
          this.#warnedNamespaces.add(namespace);
          this.#opts.warn?.(`Pinecone namespace ${namespace}: metadata over ${this.maxMetadataBytes} bytes was trimmed (fields ${fitted.trimmed.join(', ')}; first id ${r.id}). Shorten those fields to keep them whole.`);
        }
      }
      const rec = toWireRecord({ ...r, metadata: fitted.metadata });
      wire.push({ rec, bytes: wireRecordBytes(rec) + 1 });
    }
    const envelope = upsertEnvelopeBytes(namespace);
    for (const w of wire) {
      if (envelope + w.bytes > this.#maxBytes) {
        throw new SeedpipeError('VECTORS_RECORD_TOO_LARGE',
          `Vector ${w.rec.id} alone takes ${w.bytes} bytes of JSON, over the ${this.#maxBytes}-byte request limit. Use fewer dimensions or less metadata.`,
          { disposition: 'data-quality', data: { id: w.rec.id, namespace } });
      }
    }
    const chunks = [...chunkBy(wire, { maxItems: this.#maxBatch, maxWeight: this.#maxBytes, weight: (w) => w.bytes, baseWeight: envelope })];
    const ctl = new AbortController();
    setMaxListeners(0, ctl.signal); // one listener per request of this call
    const onAbort = (): void => ctl.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // Settle every chunk before returning, also on failure: a request still on its way when this
      // call rejected would land after the caller's undo had deleted its ids.
      const settled = await Promise.allSettled(chunks.map((chunk) => this.#limit(async () => {
        try {
          ctl.signal.throwIfAborted();
          await this.#call('upsert', () => this.#handle().upsert({ records: chunk.map((w) => w.rec), namespace }), ctl.signal);
          this.#stats.upserted += chunk.length;
        } catch (err) {
          // Abort before the slot frees, so queued chunks of this call never send.
          ctl.abort(err);
          throw err;
        }
      })));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Deletes every id the journal lists, per namespace, in requests of ≤ 1,000 ids. */
  async undo(entries: AsyncIterable<JournalEntry>): Promise<string> {
    this.#undoing = true;
    try {
      return await this.#undo(entries);
    } finally {
      this.#undoing = false;
    }
  }

  async #undo(entries: AsyncIterable<JournalEntry>): Promise<string> {
    // An upsert already on the wire would land after its ids were deleted: let every request settle
    // first (each is bounded by the request timeout; the wait is capped in case one never answers).
    const cap = Date.now() + UNDO_SETTLE_MS;
    while (this.#sent.size > 0 && Date.now() < cap) {
      await Promise.race([Promise.allSettled([...this.#sent]), new Promise((r) => setTimeout(r, Math.max(1, cap - Date.now())).unref())]);
    }
    const pending = new Map<string, string[]>();
    let deleted = 0;
    const flush = async (namespace: string, ids: string[]): Promise<void> => {
      await this.#call('delete', () => this.#handle().deleteMany({ ids, namespace }));
      deleted += ids.length;
    };
    for await (const e of entries) {
      if (!('ids' in e)) continue;
      let buf = pending.get(e.ns);
      if (!buf) pending.set(e.ns, (buf = []));
      for (const id of e.ids) {
        buf.push(id);
        if (buf.length === PINECONE_MAX_DELETE_IDS) await flush(e.ns, buf.splice(0));
      }
    }
    for (const [ns, buf] of pending) if (buf.length > 0) await flush(ns, buf);
    if (deleted === 0) return `nothing upserted to ${this.location}`;
    return `deleted the ${deleted.toLocaleString('en-US')} vector(s) the run had upserted to ${this.location} (namespace ${[...pending.keys()].join(', ')})`;
  }

  /** One SDK call with retries; each attempt's HTTP status is captured for the retry decision. */
  async #call<T>(what: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let attempt: AttemptInfo = {};
    try {
      return await withRetry(
        () => {
          attempt = {};
          this.#stats.requests++;
          return this.#als.run(attempt, fn);
        },
        (err) => this.#classify(what, err, attempt),
        { ...this.#opts.retry, signal, onRetry: (info) => { this.#stats.retries++; this.#opts.retry?.onRetry?.(info); } },
      );
    } catch (err) {
      if (err instanceof RetriesExhaustedError) {
        throw new SeedpipeError('VECTORS_UNAVAILABLE',
          `Pinecone index ${this.#opts.indexName} kept failing on ${what}: ${err.attempts} attempts, last ${err.reason}. ${err.reason.startsWith('network') ? 'Check that the index host is reachable from here (?host=, proxy, DNS).' : 'Lower the vector concurrency, raise the retry limit, or try again later.'}`,
          { disposition: 'retriable', data: { index: this.#opts.indexName, attempts: err.attempts }, cause: err.lastError });
      }
      throw err;
    }
  }

  #classify(what: string, err: unknown, attempt: AttemptInfo): Verdict {
    const status = attempt.status !== undefined && attempt.status >= 300 ? attempt.status : undefined;
    const name = err instanceof Error ? err.name : '';
    const msg = redact(err instanceof Error ? err.message : String(err), [this.#opts.apiKey]).trim().replace(/\.+$/, '');
    const where = `Pinecone index ${this.#opts.indexName}${this.#host ? ` (${stripScheme(this.#host)})` : ''}`;
    const data = { index: this.#opts.indexName, operation: what, ...(status !== undefined ? { status } : {}) };
    if (status === undefined) {
      // An error of ours under the SDK's (a request timeout) ends the call as it is.
      for (let c: unknown = err; c instanceof Error; c = c.cause) if (isSeedpipeError(c)) return { retry: false, error: c };
      if (name === 'PineconeConnectionError') return { retry: true, reason: `network error on ${what}` };
      return { retry: false, error: err };
    }
    if (status === 429 || status >= 500) {
      const retryAfterMs = parseRetryAfter(attempt.headers);
      return { retry: true, reason: `HTTP ${status} on ${what}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    if (status === 401 || status === 403) {
      return { retry: false, error: new SeedpipeError('VECTORS_AUTH', `${where} rejected the API key on ${what} (HTTP ${status}). Set PINECONE_API_KEY to a key of the project that owns the index.`, { data, cause: err }) };
    }
    if (status === 404) {
      return { retry: false, error: new SeedpipeError('VECTORS_INDEX_NOT_FOUND', `${where} was not found (HTTP 404 on ${what}): ${msg}. Create the index first, or fix the index name / ?host= in the vector target.`, { disposition: 'usage', data, cause: err }) };
    }
    return { retry: false, error: new SeedpipeError('VECTORS_BAD_REQUEST', `${where} rejected ${what} (HTTP ${status}): ${msg}. Check the index dimension and the metadata values.`, { data, cause: err }) };
  }
}

function clamp(n: number, lo: number, hi: number): number {
  if (!Number.isFinite(n)) return hi;
  return Math.min(hi, Math.max(lo, Math.floor(n)));
}
