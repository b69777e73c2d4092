/**
 * Offline default embedder: signed feature hashing of words and word bigrams.
 *
 * This is LEXICAL similarity: texts that share words (and word pairs) get close vectors; synonyms,
 * paraphrases and other languages do not. It exists so that a vector index can be filled, queried
 * and tested with no network, no model weights and no cost. Use an `openai:<model>` embedder for
 * semantic search.
 *
 * Algorithm (stable: changing it must change `id`, which keys the cache):
 * 1. lowercase, split into maximal runs of Unicode letters/digits;
 * 2. features = every word and every pair of adjacent words;
 * 3. each feature's 32-bit hash picks a bucket (`hash >>> 1 mod dimensions`) and a sign (`hash & 1`),
 *    which keeps the inner product unbiased under collisions (Weinberger et al., 2009);
 * 4. weight = 1 + ln(term frequency) (sublinear tf, so a repeated word does not dominate);
 * 5. L2-normalise, so cosine similarity equals the dot product.
 * A text with no letters or digits maps to one fixed unit vector (never the zero vector, which
 * vector indexes such as Pinecone reject).
 */
import { SeedpipeError } from '../../../../src/stage-kit.js';
import type { Embedder, EmbedderStats } from './types.js';
import { emptyStats } from './types.js';
import { fmix32 } from '../../../../src/stage-kit.js';

export interface LocalEmbedderOptions {
  /** Vector length. Default 384. Limit 8 – 20,000 (Pinecone's maximum dense dimension). */
  dimensions?: number;
}

export const LOCAL_DEFAULT_DIMENSIONS = 384;

const WORD = /[\p{L}\p{N}]+/gu;
/** Hash of the feature used for texts without words (any fixed value works). */
const EMPTY_FEATURE = 0x2545f491;

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32 for avalanche. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Hash of the bigram (a, b) from the words' hashes; order matters. */
function pairHash(a: number, b: number): number {
  return fmix32((Math.imul(a, 0x9e3779b1) ^ b ^ 0x27d4eb2f) >>> 0);
}

/** Embeds one text into `out` (zeroed by the caller). Exported for tests and benchmarks. */
export function embedLocal(text: string, out: Float32Array): Float32Array {
  const dims = out.length;
  const tf = new Map<number, number>();
  let prev = -1;
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const h = hashString(m[0]);
    tf.set(h, (tf.get(h) ?? 0) + 1);
    if (prev !== -1) {
      const p = pairHash(prev, h);
      tf.set(p, (tf.get(p) ?? 0) + 1);
    }
    prev = h;
  }
  for (const [h, n] of tf) {
    const w = 1 + Math.log(n);
    const bucket = (h >>> 1) % dims;
    out[bucket] = (out[bucket] ?? 0) + ((h & 1) === 1 ? -w : w);
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += (out[i] ?? 0) * (out[i] ?? 0);
  if (norm === 0) {
    // No words, or (vanishingly rare) features that cancel exactly: a fixed unit vector.
    out.fill(0);
    out[(EMPTY_FEATURE >>> 1) % dims] = 1;
    return out;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) out[i] = (out[i] ?? 0) * inv;
  return out;
}

export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  #texts = 0;

  constructor(opts: LocalEmbedderOptions = {}) {
    const dims = opts.dimensions ?? LOCAL_DEFAULT_DIMENSIONS;
    if (!Number.isInteger(dims) || dims < 8 || dims > 20_000) {
      throw new SeedpipeError('EMBEDDINGS_CONFIG', `Local embedder dimensions must be an integer from 8 to 20000, got ${dims}. Fix the embedding dimensions option.`, { disposition: 'usage', data: { dimensions: dims } });
    }
    this.dimensions = dims;
    this.id = `local:hash-${dims}`;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    const out = texts.map((t) => embedLocal(t, new Float32Array(this.dimensions)));
    this.#texts += texts.length;
    return out;
  }

  stats(): EmbedderStats {
    return { ...emptyStats(), texts: this.#texts };
  }
}
