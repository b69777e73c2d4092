/**
 * Token counts for OpenAI's embedding models (cl100k_base) with `js-tiktoken` when it is installed
 * (an optional peer dependency, pure JavaScript, no download), else the chars/4 estimate.
 *
 * Counting is skipped where it cannot matter: a token is at least one UTF-8 byte, so a text of at
 * most N bytes has at most N tokens. Only longer texts are tokenized.
 */
import { createRequire } from 'node:module';
import { estimateTokens } from './estimate.js';

interface Encoding {
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

interface Tokenizer {
  enc: Encoding;
  /** cl100k_base's pre-tokenizer: BPE never merges across its pieces. */
  pieces: RegExp;
}

/**
 * Longest piece encoded exactly. js-tiktoken's merge is quadratic in a piece's length (a 2,000-
 * character run of one letter takes a second, of CJK ideographs far longer), so a longer piece is
 * counted by its UTF-8 bytes instead: never fewer than its tokens, so limits still hold.
 */
const EXACT_PIECE = 32;

const require = createRequire(import.meta.url);
let tokenizer: Tokenizer | null | undefined;

function load(): Tokenizer | null {
  if (tokenizer === undefined) {
    try {
      const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => Encoding };
      const mod = require('js-tiktoken/ranks/cl100k_base') as { default?: { pat_str: string }; pat_str?: string };
      const ranks = mod.default ?? (mod as { pat_str: string });
      tokenizer = { enc: new Tiktoken(ranks), pieces: new RegExp(ranks.pat_str, 'gu') };
    } catch (e) {
      if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
      tokenizer = null;
    }
  }
  return tokenizer;
}

/** Whether counts use cl100k_base (js-tiktoken installed). */
export function exactTokens(): boolean {
  return load() !== null;
}

/** Tokens of one piece: exact when short, its UTF-8 bytes (an upper bound) when long. */
function pieceTokens(t: Tokenizer, piece: string): number {
  return piece.length <= EXACT_PIECE ? t.enc.encode(piece).length : Buffer.byteLength(piece);
}

/**
 * Tokens of `text` as cl100k_base counts them (exact for ordinary text; long runs without a break
 * are counted by bytes, never fewer than their tokens), else the chars/4 estimate.
 */
export function countTokens(text: string): number {
  const t = load();
  if (!t) return estimateTokens(text);
  let n = 0;
  for (const m of text.matchAll(t.pieces)) n += pieceTokens(t, m[0]);
  return n;
}

/** `text` cut to at most `max` tokens, at a token boundary (or, estimated, at 4 × max characters). */
export function fitTokens(text: string, max: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text) <= max) return { text, truncated: false };
  const t = load();
  if (t) {
    let n = 0;
    for (const m of text.matchAll(t.pieces)) {
      const piece = m[0];
      const k = pieceTokens(t, piece);
      if (n + k <= max) {
        n += k;
        continue;
      }
      const room = max - n;
      let tail = '';
      if (piece.length <= EXACT_PIECE) tail = t.enc.decode(t.enc.encode(piece).slice(0, room)).replace(/\uFFFD+$/, '');
      else for (const ch of piece) {
        if (Buffer.byteLength(tail + ch) > room) break;
        tail += ch;
      }
      return { text: text.slice(0, m.index) + tail, truncated: true };
    }
    return { text, truncated: false };
  }
  if (estimateTokens(text) <= max) return { text, truncated: false };
  let cut = text.slice(0, max * 4);
  // Never leave half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return { text: cut, truncated: true };
}
