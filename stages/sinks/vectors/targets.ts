/**
 * From user-facing strings to instances: `--embedder local | openai:<model>` and
 * `--vectors pinecone://<index>[?host=…] | lancedb://<dir>`. Settings come in explicitly (the CLI
 * passes the environment it resolved); nothing here reads `process.env`.
 */
import { join } from 'node:path';
import { SeedpipeError, usageError } from '../../../src/stage-kit.js';
import { cachedEmbedder, type CacheOptions } from './embedders/cache.js';
import { LocalEmbedder } from './embedders/local.js';
import { OpenAIEmbedder } from './embedders/openai.js';
import type { Embedder } from './embedders/types.js';
import { LanceDbIndex } from './indexes/lancedb.js';
import { PineconeIndex } from './indexes/pinecone.js';
import type { VectorIndex } from './indexes/types.js';
import type { RetryOptions } from './retry.js';

export type EmbedderSpec = 'local' | `openai:${string}`;

export interface MakeEmbedderOptions {
  /** Provider API key (OpenAI). Never printed. */
  apiKey?: string;
  /** OpenAI-compatible endpoint including `/v1`. Default `https://api.openai.com/v1`. */
  baseURL?: string;
  organization?: string;
  project?: string;
  /** Vector size. Default: 384 for `local`, the model's native size for OpenAI models. */
  dimensions?: number;
  /** Embedding requests in flight at once. Default 4. */
  concurrency?: number;
  /** Inputs per request. Default and limit 2,048. */
  maxInputsPerRequest?: number;
  /** Estimated tokens per request. Default 250,000; limit 300,000. */
  maxTokensPerRequest?: number;
  /** Per-request time limit. Default 60,000 ms. */
  timeoutMs?: number;
  /** Tokens one input may have (texts are cut to it). Default 8,191 for OpenAI's models. */
  maxInputTokens?: number;
  retry?: RetryOptions;
  /** Disk cache directory; when set, only texts not cached reach the provider. Default: no cache. */
  cacheDir?: string;
  cache?: CacheOptions;
}

/** Builds the embedder named by `spec`, wrapped in the disk cache when `cacheDir` is given. */
export function makeEmbedder(spec: EmbedderSpec | string, opts: MakeEmbedderOptions = {}): Embedder {
  let inner: Embedder;
  if (spec === 'local') {
    inner = new LocalEmbedder(opts.dimensions !== undefined ? { dimensions: opts.dimensions } : {});
  } else if (spec.startsWith('openai:') && spec.length > 'openai:'.length) {
    inner = new OpenAIEmbedder({
      model: spec.slice('openai:'.length),
      ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
      ...(opts.baseURL !== undefined ? { baseURL: opts.baseURL } : {}),
      ...(opts.organization !== undefined ? { organization: opts.organization } : {}),
      ...(opts.project !== undefined ? { project: opts.project } : {}),
      ...(opts.dimensions !== undefined ? { dimensions: opts.dimensions } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.maxInputsPerRequest !== undefined ? { maxInputsPerRequest: opts.maxInputsPerRequest } : {}),
      ...(opts.maxTokensPerRequest !== undefined ? { maxTokensPerRequest: opts.maxTokensPerRequest } : {}),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.maxInputTokens !== undefined ? { maxInputTokens: opts.maxInputTokens } : {}),
      ...(opts.retry !== undefined ? { retry: opts.retry } : {}),
    });
  } else {
    throw usageError('EMBEDDINGS_CONFIG', `Unknown embedder "${spec}". Use "local" (offline, lexical) or "openai:<model>", e.g. openai:text-embedding-3-small.`, { spec });
  }
  return opts.cacheDir ? cachedEmbedder(inner, opts.cacheDir, opts.cache ?? {}) : inner;
}

/** Settings a vector target may need; the CLI passes its resolved environment. */
export interface VectorTargetEnv {
  PINECONE_API_KEY?: string | undefined;
  /** Pinecone control-plane URL (tests, proxies). Default https://api.pinecone.io. */
  PINECONE_CONTROLLER_HOST?: string | undefined;
  readonly [name: string]: string | undefined;
}

export interface VectorTargetOptions {
  /** Base for a relative LanceDB directory. Default: the process's working directory. */
  cwd?: string;
  /** Upsert requests in flight (Pinecone). Default 4. */
  concurrency?: number;
  retry?: RetryOptions;
  /** Non-fatal notices (trimmed metadata). */
  warn?: (msg: string) => void;
  /** fetch implementation for Pinecone. Default: the global fetch. */
  fetch?: typeof fetch;
  /**
   * Where run journals of an index that has no directory of its own go (Pinecone:
   * `<stateDir>/pinecone-<index>[@<host>]`), so runs can undo their upserts. Default: none (no undo).
   * LanceDB keeps its journals in its own directory.
   */
  stateDir?: string;
}

/**
 * Parses a vector target URL into an index:
 * - `pinecone://<index>` — host discovered via describeIndex; `?host=<data-plane host>` skips that
 *   (no scheme means https); `?controller=<url>` overrides the control plane. Key: PINECONE_API_KEY.
 * - `lancedb://<dir>` — `lancedb:///abs/dir` or `lancedb://relative/dir` (against `cwd`).
 */
export function vectorTarget(url: string, env: VectorTargetEnv = {}, opts: VectorTargetOptions = {}): VectorIndex {
  if (url.startsWith('lancedb://')) {
    const dir = decodeURIComponent(url.slice('lancedb://'.length));
    if (!dir) throw usageError('VECTORS_TARGET', 'lancedb:// needs a directory, e.g. lancedb://./out/vectors or lancedb:///var/lib/vectors.');
    return new LanceDbIndex({ dir, ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}) });
  }
  if (url.startsWith('pinecone://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw usageError('VECTORS_TARGET', `Cannot parse vector target "${url}". Use pinecone://<index-name>[?host=<index host>].`);
    }
    const indexName = decodeURIComponent(parsed.hostname);
    if (!indexName) throw usageError('VECTORS_TARGET', 'pinecone:// needs an index name, e.g. pinecone://products.');
    const apiKey = env.PINECONE_API_KEY;
    if (!apiKey) {
      throw new SeedpipeError('VECTORS_CONFIG', `No Pinecone API key for index ${indexName}. Set PINECONE_API_KEY.`, { disposition: 'usage', data: { index: indexName } });
    }
    const host = parsed.searchParams.get('host') ?? undefined;
    const journalDir = opts.stateDir ? join(opts.stateDir, `pinecone-${indexName}${host ? `@${host}` : ''}`.replace(/[^A-Za-z0-9_.@-]/g, '_')) : undefined;
    const controller = parsed.searchParams.get('controller') ?? env.PINECONE_CONTROLLER_HOST;
    return new PineconeIndex({
      apiKey,
      indexName,
      ...(host ? { host } : {}),
      ...(controller ? { controllerHostUrl: controller } : {}),
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.retry !== undefined ? { retry: opts.retry } : {}),
      ...(opts.warn !== undefined ? { warn: opts.warn } : {}),
      ...(opts.fetch !== undefined ? { fetch: opts.fetch } : {}),
      ...(journalDir ? { journalDir } : {}),
    });
  }
  throw usageError('VECTORS_TARGET', `Unknown vector target "${url.replace(/\?.*$/, '')}". Use pinecone://<index>[?host=…] or lancedb://<dir>.`);
}
