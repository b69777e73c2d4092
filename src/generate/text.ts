/**
 * Fast text: sentences and paragraphs assembled from faker's lorem word list with the row's `Rng`.
 * Faker's API overhead is most of generation time for text-heavy tables; this path skips it.
 */
import type { Rng } from '../random/rng.js';

export class TextHelpers {
  constructor(private readonly rngOf: () => Rng, private readonly words: readonly string[]) {}

  word(): string {
    return this.rngOf().pick(this.words);
  }

  /** `n` space-separated words. */
  words_(n: number): string {
    const r = this.rngOf();
    let s = r.pick(this.words);
    for (let j = 1; j < n; j++) s += ' ' + r.pick(this.words);
    return s;
  }

  /** A capitalised sentence of `min`–`max` words ending with a full stop. */
  sentence(min = 4, max = 12): string {
    const r = this.rngOf();
    const s = this.words_(r.int(min, max));
    return s.charAt(0).toUpperCase() + s.slice(1) + '.';
  }

  /** `min`–`max` sentences of `minWords`–`maxWords` words. */
  paragraph(min = 3, max = 6, minWords = 4, maxWords = 12): string {
    const r = this.rngOf();
    const n = r.int(min, max);
    let s = this.sentence(minWords, maxWords);
    for (let j = 1; j < n; j++) s += ' ' + this.sentence(minWords, maxWords);
    return s;
  }

  /** Truncates at a word boundary to at most `max` characters. */
  clip(s: string, max: number): string {
    if (s.length <= max) return s;
    const cut = s.lastIndexOf(' ', max);
    return s.slice(0, cut > 0 ? cut : max);
  }
}
