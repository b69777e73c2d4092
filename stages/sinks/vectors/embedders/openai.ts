/**
 * Embeddings from OpenAI or any OpenAI-compatible endpoint (`baseURL`), through the `openai` SDK.
 *
 * The SDK's own retries are off (`maxRetries: 0`): this client retries itself so that every attempt
 * is counted, waits honour `retry-after-ms` / `retry-after`, and a rejected key stops the run at
 * once instead of after the SDK's retries. Requests are bounded by inputs (≤ 2,048, the API limit)
 * and by estimated tokens (default 250k, clamped to the API's 300k per request); concurrent
 * requests by `p-limit`, shared by every `embed` call on this instance.
 *
 * The SDK asks for base64 (little-endian float32) when `encoding_format` is not given and decodes
 * it to numbers; vectors are checked for length before use.
 */
import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import { SeedpipeError, redact, assertInstalled, importOptional } from '../../../../src/stage-kit.js';
import { chunkBy } from '../batching.js';
import { RetriesExhaustedError, withRetry, parseRetryAfter, type RetryOptions, type Verdict, type HeaderSource } from '../retry.js';
import { estimateTokens } from './estimate.js';
import { countTokens, exactTokens, fitTokens } from './tokens.js';
import type { Embedder, EmbedderStats } from './types.js';
import { emptyStats } from './types.js';

/** API limit: inputs per request. */
export const OPENAI_MAX_INPUTS = 2048;
/** API limit: total tokens per request (all inputs together). */
export const OPENAI_MAX_REQUEST_TOKENS = 300_000;
/** API limit of OpenAI's embedding models: tokens per input. */
export const OPENAI_MAX_INPUT_TOKENS = 8191;

const OPENAI_FEATURE = 'The OpenAI-compatible embedder (--embedder openai:<model>)';

/**
 * The SDK's client, created on the first request: `openai` is an optional peer dependency, loaded
 * as an ES module when an embedder without an injected client first embeds.
 */
function sdkClient(options: { apiKey: string | undefined; baseURL: string; organization: string | null; project: string | null; maxRetries: number; timeout: number }): EmbeddingsClient {
  let client: Promise<EmbeddingsClient> | undefined;
  return {
    embeddings: {
      async create(body, requestOptions) {
        client ??= importOptional<typeof import('openai')>('openai', OPENAI_FEATURE).then((m) => new m.default(options));
        return (await client).embeddings.create(body, requestOptions);
      },
    },
  };
}

/**
 * Whether `err` is an instance of the SDK's error class `name`, by class name along its prototype
 * chain: an injected client may come from another copy of the SDK (its ESM or CommonJS build).
 */
function isSdkError(err: unknown, name: string): boolean {
  for (let p = typeof err === 'object' && err !== null ? Object.getPrototypeOf(err) : null; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === name) return true;
  }
  return false;
}

/** Native output size of OpenAI's embedding models. */
export const OPENAI_MODEL_DIMENSIONS: Readonly<Record<string, number>> = Object.freeze({
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
});

/** The part of the SDK this embedder uses; `new OpenAI(...)` fits it, unit tests pass a fake. */
export interface EmbeddingsClient {
  embeddings: {
    create(
      body: { model: string; input: string[]; dimensions?: number },
      options?: { signal?: AbortSignal },
    ): PromiseLike<{ data: ReadonlyArray<{ index: number; embedding: number[] | string }>; usage?: { prompt_tokens?: number } }>;
  };
}

export interface OpenAIEmbedderOptions {
  /** Model name, e.g. `text-embedding-3-small`. */
  model: string;
  /** API key. Never printed: error messages are redacted. Required unless `client` is given. */
  apiKey?: string;
  /** Endpoint root including `/v1`. Default `https://api.openai.com/v1` (never read from the environment). */
  baseURL?: string;
  /** Organisation / project headers, when the account needs them. Default none. */
  organization?: string;
  project?: string;
  /**
   * Output dimensions. Default: the model's native size (1536 for 3-small and ada-002, 3072 for
   * 3-large). Sent to the API when set (text-embedding-3-* can shorten vectors); required for models
   * this client does not know. ada-002 only supports 1536.
   */
  dimensions?: number;
  /** Inputs per request. Default and limit 2,048. */
  maxInputsPerRequest?: number;
  /** Estimated tokens (ceil(chars/4)) per request. Default 250,000; clamped to 300,000. */
  maxTokensPerRequest?: number;
  /** Requests in flight at once, across all `embed` calls. Default 4. Limit 1 – 64. */
  concurrency?: number;
  /** One request's time limit, then it is retried. Default 60,000 ms. */
  timeoutMs?: number;
  /** Retry policy for 429, 5xx, timeouts and network errors. */
  retry?: RetryOptions;
  /** Use this client instead of constructing one (tests). */
  client?: EmbeddingsClient;
  /**
   * Tokens one input may have; longer texts are cut to it (the sink counts them). Default 8,191 for
   * OpenAI's models, none for others (set it for an OpenAI-compatible model with a limit).
   */
  maxInputTokens?: number;
}

/** Decodes a base64 little-endian float32 embedding (what the API sends for `encoding_format: base64`). */
export function decodeBase64Embedding(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  if (buf.length % 4 !== 0) throw new Error(`base64 embedding of ${buf.length} bytes is not a float32 array`);
  const out = new Float32Array(buf.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

interface ErrorLike {
  status?: unknown;
  headers?: unknown;
  error?: { message?: unknown; code?: unknown } | null;
  message?: unknown;
  code?: unknown;
}

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly model: string;
  readonly preferredBatch: number;
  readonly maxInputTokens: number | undefined;
  readonly #client: EmbeddingsClient;
  readonly #apiKey: string | undefined;
  readonly #baseURL: string;
  readonly #timeoutMs: number;
  readonly #sendDimensions: boolean;
  readonly #maxInputs: number;
  readonly #maxTokens: number;
  readonly #limit: LimitFunction;
  readonly #retry: RetryOptions;
  readonly #stats: EmbedderStats = emptyStats();

  constructor(opts: OpenAIEmbedderOptions) {
    const usage = (msg: string, data: Record<string, unknown> = {}): SeedpipeError =>
      new SeedpipeError('EMBEDDINGS_CONFIG', msg, { disposition: 'usage', data: { model: opts.model, ...data } });
    if (!opts.model) throw usage('The OpenAI embedder needs a model name, e.g. `openai:text-embedding-3-small`.');
    if (!opts.client && !opts.apiKey) {
      throw usage(`No API key for the embeddings provider (model ${opts.model}). Set OPENAI_API_KEY, or choose the offline embedder with \`--embedder local\`.`);
    }
    const native = OPENAI_MODEL_DIMENSIONS[opts.model];
    const dims = opts.dimensions ?? native;
    if (dims === undefined) {
      throw usage(`Unknown embedding model "${opts.model}": set the embedding dimensions option to the model's output size.`);
    }
    if (!Number.isInteger(dims) || dims < 1 || dims > 20_000) throw usage(`Embedding dimensions must be an integer from 1 to 20000, got ${dims}.`, { dimensions: dims });
    if (opts.model === 'text-embedding-ada-002' && dims !== 1536) {
      throw usage('text-embedding-ada-002 always returns 1536 dimensions; remove the dimensions option or use a text-embedding-3 model.', { dimensions: dims });
    }
    if (native !== undefined && dims > native) {
      throw usage(`${opts.model} returns at most ${native} dimensions, ${dims} were requested.`, { dimensions: dims });
    }
    this.model = opts.model;
    this.dimensions = dims;
    this.id = `openai:${opts.model}:${dims}`;
    this.#sendDimensions = opts.dimensions !== undefined && opts.model !== 'text-embedding-ada-002';
    this.#apiKey = opts.apiKey;
    this.#baseURL = opts.baseURL ?? 'https://api.openai.com/v1';
    this.#timeoutMs = opts.timeoutMs ?? 60_000;
    this.#maxInputs = clamp(opts.maxInputsPerRequest ?? OPENAI_MAX_INPUTS, 1, OPENAI_MAX_INPUTS);
    this.#maxTokens = clamp(opts.maxTokensPerRequest ?? 250_000, 1, OPENAI_MAX_REQUEST_TOKENS);
    this.preferredBatch = this.#maxInputs;
    this.maxInputTokens = opts.maxInputTokens ?? (native !== undefined ? OPENAI_MAX_INPUT_TOKENS : undefined);
    this.#limit = pLimit(clamp(opts.concurrency ?? 4, 1, 64));
    this.#retry = opts.retry ?? {};
    if (!opts.client) assertInstalled(OPENAI_FEATURE, ['openai']);
    this.#client = opts.client ?? sdkClient({
      apiKey: opts.apiKey,
      baseURL: this.#baseURL,
      organization: opts.organization ?? null,
      project: opts.project ?? null,
      maxRetries: 0,
      timeout: this.#timeoutMs,
    });
  }

  stats(): EmbedderStats {
    return { ...this.#stats };
  }

  fit(text: string): { text: string; truncated: boolean } {
    return this.maxInputTokens === undefined ? { text, truncated: false } : fitTokens(text, this.maxInputTokens);
  }

  /**
   * Per-text weights for the request token budget. Bytes bound tokens from above, so when the
   * bytes fit, the budget holds; otherwise exact counts (js-tiktoken) or the chars/4 estimate.
   */
  #weights(texts: readonly string[]): number[] {
    const bytes = texts.map((t) => Buffer.byteLength(t));
    if (bytes.reduce((a, b) => a + b, 0) <= this.#maxTokens) return bytes;
    return exactTokens() ? texts.map(countTokens) : texts.map(estimateTokens);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    if (texts.length === 0) return [];
    const out = new Array<Float32Array>(texts.length);
    // One failed request stops its siblings: no point spending quota on a batch that will fail.
    const ctl = new AbortController();
    setMaxListeners(0, ctl.signal); // one listener per request of this call
    const onAbort = (): void => ctl.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const indices = texts.map((_, i) => i);
      const weights = this.#weights(texts);
      const requests = [...chunkBy(indices, {
        maxItems: this.#maxInputs,
        maxWeight: this.#maxTokens,
        weight: (i) => weights[i] ?? 0,
      })];
      await Promise.all(requests.map(async (idx) => {
        const vectors = await this.#limit(async () => {
          try {
            return await this.#request(idx.map((i) => texts[i] ?? ''), ctl.signal);
          } catch (err) {
            // Abort before the slot frees, so queued siblings see it and never send.
            ctl.abort(err);
            throw err;
          }
        });
        idx.forEach((i, k) => { out[i] = vectors[k] as Float32Array; });
      }));
      return out;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async #request(input: string[], signal: AbortSignal): Promise<Float32Array[]> {
    // The API rejects empty strings; a single space embeds "nothing" without failing the batch.
    const body: { model: string; input: string[]; dimensions?: number } = {
      model: this.model,
      input: input.map((t) => (t.length === 0 ? ' ' : t)),
    };
    if (this.#sendDimensions) body.dimensions = this.dimensions;
    let res;
    try {
      res = await withRetry(
        async () => {
          this.#stats.requests++;
          return await this.#client.embeddings.create(body, { signal });
        },
        (err) => this.#classify(err),
        { ...this.#retry, signal, onRetry: (info) => { this.#stats.retries++; this.#retry.onRetry?.(info); } },
      );
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof RetriesExhaustedError) {
        throw new SeedpipeError('EMBEDDINGS_UNAVAILABLE',
          `The embeddings endpoint ${this.#baseURL} kept failing for model ${this.model}: ${err.attempts} attempts, last ${this.#redact(err.reason)}. ${err.reason.startsWith('network') ? 'Check that the endpoint is reachable from here (baseURL, proxy, DNS).' : 'Lower the vector concurrency, raise the retry limit, or try again later.'}`,
          { disposition: 'retriable', data: { model: this.model, attempts: err.attempts }, cause: err.lastError });
      }
      throw err;
    }
    if (!res || !Array.isArray(res.data) || res.data.length !== input.length) {
      throw this.#badResponse(`expected ${input.length} embeddings, got ${Array.isArray(res?.data) ? res.data.length : 'none'}`);
    }
    const vectors = new Array<Float32Array>(input.length);
    for (const d of res.data) {
      const v = typeof d.embedding === 'string' ? decodeBase64Embedding(d.embedding) : Float32Array.from(d.embedding);
      if (v.length !== this.dimensions) throw this.#badResponse(`embedding of length ${v.length}, expected ${this.dimensions}`);
      if (!Number.isInteger(d.index) || d.index < 0 || d.index >= input.length) throw this.#badResponse(`embedding index ${d.index} out of range`);
      vectors[d.index] = v;
    }
    this.#stats.texts += input.length;
    this.#stats.tokens += res.usage?.prompt_tokens ?? input.reduce((n, t) => n + estimateTokens(t), 0);
    return vectors;
  }

  #badResponse(what: string): SeedpipeError {
    return new SeedpipeError('EMBEDDINGS_BAD_RESPONSE',
      `The embeddings endpoint ${this.#baseURL} answered with ${what} for model ${this.model}. Check that baseURL points at an OpenAI-compatible /v1 endpoint and that the dimensions option matches the model.`,
      { data: { model: this.model } });
  }

  #redact(s: string): string {
    return redact(s, [this.#apiKey]);
  }

  #classify(err: unknown): Verdict {
    if (isSdkError(err, 'APIUserAbortError')) return { retry: false, error: err };
    const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
    const status = typeof e.status === 'number' ? e.status : undefined;
    if (status === undefined) {
      // A request that got no answer within the bound ends the call: ten more waits would hide it.
      if (isSdkError(err, 'APIConnectionTimeoutError')) {
        const seconds = this.#timeoutMs / 1000;
        return { retry: false, error: new SeedpipeError('VECTORS_TIMEOUT', `The embeddings endpoint ${this.#baseURL} did not answer within ${seconds} s. Check that it is up, or raise --vectors-timeout.`, { disposition: 'retriable', data: { baseURL: this.#baseURL, timeoutMs: this.#timeoutMs }, cause: err }) };
      }
      // Refused/reset connections: transient by nature.
      if (isSdkError(err, 'APIConnectionError') || isNetworkError(err)) return { retry: true, reason: `network error (${errText(err)})` };
      return { retry: false, error: err };
    }
    const serverMsg = this.#redact(String(e.error?.message ?? e.message ?? '')).trim().replace(/\.+$/, '');
    const code = typeof e.error?.code === 'string' ? e.error.code : typeof e.code === 'string' ? e.code : undefined;
    const data = { status, model: this.model, baseURL: this.#baseURL, ...(code ? { providerCode: code } : {}) };
    if (status === 429 && code === 'insufficient_quota') {
      return { retry: false, error: new SeedpipeError('EMBEDDINGS_QUOTA', `The embeddings provider reports the account is out of quota (HTTP 429 insufficient_quota): ${serverMsg}. Add credit or use another key; retrying will not help.`, { data, cause: err }) };
    }
    if (status === 429 || status === 408 || status === 409 || status >= 500) {
      const retryAfterMs = parseRetryAfter(e.headers as HeaderSource);
      return { retry: true, reason: `HTTP ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    if (status === 401 || status === 403) {
      const what = status === 401 ? 'rejected the API key' : `refused access to model ${this.model}`;
      return { retry: false, error: new SeedpipeError('EMBEDDINGS_AUTH', `The embeddings endpoint ${this.#baseURL} ${what} (HTTP ${status}): ${serverMsg}. Set a valid key in OPENAI_API_KEY (or the embedder's apiKey) with access to ${this.model}.`, { data, cause: err }) };
    }
    if (status === 404) {
      return { retry: false, error: new SeedpipeError('EMBEDDINGS_NOT_FOUND', `The embeddings endpoint ${this.#baseURL} answered 404 for model ${this.model}: ${serverMsg}. Check the model name and that baseURL ends in /v1.`, { data, cause: err }) };
    }
    return { retry: false, error: new SeedpipeError('EMBEDDINGS_BAD_REQUEST', `The embeddings endpoint ${this.#baseURL} rejected a request for model ${this.model} (HTTP ${status}): ${serverMsg}. Check the model name, the dimensions option (only text-embedding-3 models accept it) and that no text is longer than the model's input limit (8,192 tokens for OpenAI models).`, { data, cause: err }) };
  }
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/** Node/undici network failures, possibly wrapped in `cause`. */
export function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
  }
  return false;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function clamp(n: number, lo: number, hi: number): number {
  if (!Number.isFinite(n)) return hi;
  return Math.min(hi, Math.max(lo, Math.floor(n)));
}
