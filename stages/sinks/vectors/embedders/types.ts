/**
 * The embedding seam: text in, fixed-length float32 vectors out, in the same order.
 * The local hashing embedder, the OpenAI-compatible client and the disk cache all fit it, so the
 * sink never knows which one it talks to.
 */
export interface Embedder {
  /**
   * Identifies the vector space: provider, model and dimensions (`local:hash-384`,
   * `openai:text-embedding-3-small:1536`). Two embedders with the same id must give the same vector
   * for the same text: the cache is keyed by it.
   */
  readonly id: string;
  /** Length of every returned vector. */
  readonly dimensions: number;
  /**
   * Embeds `texts`, returning one vector per text in input order. Rejects with a `SeedpipeError`
   * when the provider refuses the work; honours `signal` by rejecting promptly.
   */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /** Counters since construction, for run summaries and tests. */
  stats?(): EmbedderStats;
  /**
   * Texts one `embed` call should carry so that the provider's requests are full (OpenAI: 2,048
   * inputs); the sink groups rows by it, independently of the index's upsert batches. Default: 1,000.
   */
  readonly preferredBatch?: number;
  /** Most tokens one input may have (OpenAI's embedding models: 8,191); none when unlimited. */
  readonly maxInputTokens?: number;
  /** `text` cut to `maxInputTokens` tokens (at a token boundary), and whether it was cut. */
  fit?(text: string): { text: string; truncated: boolean };
}

export interface EmbedderStats {
  /** HTTP requests that reached the provider (including failed attempts); 0 for local embedders. */
  requests: number;
  /** Attempts that were retried (429, 5xx, network errors). */
  retries: number;
  /** Texts embedded by the provider (cache hits excluded). */
  texts: number;
  /** Tokens: the provider's reported usage when it reports one, else the chars/4 estimate. */
  tokens: number;
  /** Texts answered from the cache without a provider call. */
  cacheHits: number;
}

export function emptyStats(): EmbedderStats {
  return { requests: 0, retries: 0, texts: 0, tokens: 0, cacheHits: 0 };
}
