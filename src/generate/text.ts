/**
 * Fast text: `say` expands a dataset's template grammar (domain text: grammar.ts); `sentence` and
 * `paragraph` assemble filler from faker's lorem word list with the row's `Rng` (for schemas
 * nobody described, e.g. introspected ones; the built-in datasets use grammars).
 * Faker's API overhead is most of generation time for text-heavy tables; this path skips it. The
 * word list is prepared once per World in the forms sentences need (capitalised, space-prefixed), so
 * a sentence is one concatenation per word and no re-slicing.
 */
import type { Rng } from '../random/rng.js';
import type { Grammar, GrammarVars } from './grammar.js';

export interface Lexicon {
  readonly words: readonly string[];
  /** `words[k]` with its first letter upper-cased (sentence starts). */
  readonly capital: readonly string[];
  /** `' ' + words[k]` (every word after the first). */
  readonly spaced: readonly string[];
}

export function makeLexicon(words: readonly string[]): Lexicon {
  return {
    words,
    capital: words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)),
    spaced: words.map((w) => ' ' + w),
  };
}

export class TextHelpers {
  constructor(private readonly rng: Rng, private readonly lex: Lexicon) {}

  word(): string {
    return this.rng.pick(this.lex.words);
  }

  /** `n` space-separated words. */
  words_(n: number): string {
    return this.run(this.rng, this.lex.words, n);
  }

  /** A capitalised sentence of `min`–`max` words ending with a full stop. */
  sentence(min = 4, max = 12): string {
    const r = this.rng;
    return this.run(r, this.lex.capital, r.int(min, max)) + '.';
  }

  /** `min`–`max` sentences of `minWords`–`maxWords` words. */
  paragraph(min = 3, max = 6, minWords = 4, maxWords = 12): string {
    const r = this.rng;
    const n = r.int(min, max);
    let s = this.sentence(minWords, maxWords);
    for (let j = 1; j < n; j++) s += ' ' + this.sentence(minWords, maxWords);
    return s;
  }

  /**
   * Domain text from a dataset's template grammar (see grammar.ts): expands `symbol` (default
   * `start`) with this row's stream, filling `{$name}` slots from `vars`.
   */
  say(g: Grammar, vars?: GrammarVars, symbol?: string): string {
    return g.expand(this.rng, vars, symbol);
  }

  /** Truncates at a word boundary to at most `max` characters. */
  clip(s: string, max: number): string {
    if (s.length <= max) return s;
    const cut = s.lastIndexOf(' ', max);
    return s.slice(0, cut > 0 ? cut : max);
  }

  /** `n` words (at least one), the first taken from `first` (same draws as `pick` on the word list). */
  private run(r: Rng, first: readonly string[], n: number): string {
    const m = first.length;
    if (m === 0) throw new RangeError('pick() from an empty list');
    const spaced = this.lex.spaced;
    let s = first[Math.floor(r.float() * m)]!;
    for (let j = 1; j < n; j++) s += spaced[Math.floor(r.float() * m)]!;
    return s;
  }
}
