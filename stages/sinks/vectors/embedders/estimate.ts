/**
 * Token and cost estimates for `--dry-run`, computed from the texts without calling a provider.
 * Tokens ≈ ceil(chars / 4), OpenAI's rule of thumb for English; real counts differ by tokenizer and
 * language (code and non-Latin scripts use more tokens per character), so treat the figure as an
 * order of magnitude, not a quote.
 */

/** USD per 1M input tokens (OpenAI list prices for the embeddings endpoint). */
export const PRICE_PER_MILLION_TOKENS: Readonly<Record<string, number>> = Object.freeze({
  'text-embedding-3-small': 0.02,
  'text-embedding-3-large': 0.13,
  'text-embedding-ada-002': 0.10,
});

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface CostEstimate {
  /** The embedder spec the estimate is for: `local` or `openai:<model>`. */
  embedder: string;
  texts: number;
  /** Sum of per-text estimates. */
  tokens: number;
  chars: number;
  /** USD per 1M tokens; null when the model's price is unknown. */
  pricePerMillionTokens: number | null;
  /** Estimated USD; null when the model's price is unknown. */
  usd: number | null;
}

/** Price per 1M tokens for an embedder spec (`local` → 0), or null when unknown. */
export function pricePerMillion(embedder: string): number | null {
  if (embedder === 'local' || embedder.startsWith('local:')) return 0;
  const model = embedder.startsWith('openai:') ? embedder.slice('openai:'.length).split(':')[0] ?? '' : embedder;
  return PRICE_PER_MILLION_TOKENS[model] ?? null;
}

/** Streaming accumulator: feed texts one at a time, memory stays constant. */
export class CostEstimator {
  #texts = 0;
  #tokens = 0;
  #chars = 0;
  constructor(readonly embedder: string) {}

  add(text: string): void {
    this.#texts++;
    this.#chars += text.length;
    this.#tokens += estimateTokens(text);
  }

  result(): CostEstimate {
    const price = pricePerMillion(this.embedder);
    return {
      embedder: this.embedder,
      texts: this.#texts,
      tokens: this.#tokens,
      chars: this.#chars,
      pricePerMillionTokens: price,
      usd: price === null ? null : (this.#tokens / 1_000_000) * price,
    };
  }
}

/** Estimates the cost of embedding every text of a (possibly async) stream. */
export async function estimateCost(texts: Iterable<string> | AsyncIterable<string>, embedder: string): Promise<CostEstimate> {
  const est = new CostEstimator(embedder);
  for await (const t of texts) est.add(t);
  return est.result();
}
