/**
 * Template grammars for domain text: a dataset declares symbols with alternatives, e.g.
 *
 *   grammar({
 *     start: ['{greeting} {$name}, {ask}', ['{ask}', 3]],   // [template, weight]
 *     greeting: ['Hi', 'Hey', 'Morning'],
 *     ask: ['can you review {a $thing}?', 'is {the $thing} ready?'],
 *   })
 *
 * and a generator expands it with the row's stream: `c.text.say(g, { name, thing })`.
 *
 * Slots: `{sym}` expands a symbol of the grammar; `{$var}` inserts a value passed at expansion (a
 * string, or an array of strings to pick from); `{^sym}` / `{^$var}` upper-cases the first letter;
 * `{a sym}` / `{a $var}` puts "a" or "an" before it. Templates are parsed once, when the grammar is
 * built (an unknown symbol is an error then, not at row 1,000,000); expansion walks prepared parts
 * with one uniform draw per choice, so it costs a few string concatenations and no faker call.
 */
import type { Rng } from '../random/rng.js';

const capFirst = (s: string): string => (s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1));

const LITERAL = 0;
const SYMBOL = 1;
const VARIABLE = 2;

/**
 * One piece of an alternative, all of one shape (so the expansion loop stays monomorphic): a literal
 * (with its capitalised form ready), a symbol or a `{$var}` slot.
 */
class Part {
  readonly capText: string;
  constructor(
    readonly kind: typeof LITERAL | typeof SYMBOL | typeof VARIABLE,
    readonly text: string,
    readonly sym: number,
    readonly cap: boolean,
    readonly article: boolean,
  ) {
    this.capText = capFirst(text);
  }
}

interface Rule {
  /** Alternatives, each a list of parts (a literal-only alternative is one part). */
  readonly alts: readonly (readonly Part[])[];
  /** Cumulative weights (null when all alternatives weigh the same). */
  readonly cum: Float64Array | null;
  readonly total: number;
}

export type Alternative = string | readonly [string, number];
export type GrammarSpec = Readonly<Record<string, readonly Alternative[]>>;
/** Values for `{$name}` slots: a string, or strings to pick one from. */
export type GrammarVars = Readonly<Record<string, string | readonly string[]>>;

const SLOT = /\{(\^)?(a )?(\$)?([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** "an" before a vowel sound (by first letter; "an hour", "a user" are the usual exceptions). */
export function article(word: string): string {
  const w = word.toLowerCase();
  if (/^(hour|honest|heir)/.test(w)) return 'an';
  if (/^(u[bcfhjkqrstn][aeiou]|use|usu|uni|eu|one|once)/.test(w)) return 'a';
  return /^[aeiou]/.test(w) ? 'an' : 'a';
}

export class Grammar {
  private readonly rules: Rule[] = [];
  private readonly index = new Map<string, number>();

  constructor(spec: GrammarSpec) {
    const names = Object.keys(spec);
    names.forEach((n, j) => this.index.set(n, j));
    for (const name of names) {
      const list = spec[name]!;
      if (list.length === 0) throw new Error(`grammar symbol "${name}" has no alternatives`);
      const alts: Part[][] = [];
      const weights: number[] = [];
      for (const alt of list) {
        const [text, w] = typeof alt === 'string' ? [alt, 1] : alt;
        if (!(w > 0)) throw new Error(`grammar symbol "${name}": weight of "${text}" must be positive`);
        alts.push(this.parse(name, text));
        weights.push(w);
      }
      const uniform = weights.every((w) => w === weights[0]);
      let cum: Float64Array | null = null;
      let total = alts.length;
      if (!uniform) {
        cum = new Float64Array(weights.length);
        total = 0;
        weights.forEach((w, j) => (cum![j] = total += w));
      }
      this.rules.push({ alts, cum, total });
    }
  }

  has(symbol: string): boolean {
    return this.index.has(symbol);
  }

  /** Expands `symbol` (default `start`) with `rng`; `vars` fills the `{$name}` slots. */
  expand(rng: Rng, vars: GrammarVars = {}, symbol = 'start'): string {
    const j = this.index.get(symbol);
    if (j === undefined) throw new Error(`grammar has no symbol "${symbol}"; it has ${[...this.index.keys()].join(', ')}`);
    return this.run(rng, j, vars, 0, false);
  }

  /**
   * One expansion of rule `j`. `cap` upper-cases the first letter of the result: it is handed down to
   * the first part that is not empty (a literal's capitalised form is prepared), which gives what
   * capitalising the finished string gives, without building it twice.
   */
  private run(rng: Rng, j: number, vars: GrammarVars, depth: number, cap: boolean): string {
    if (depth > 24) throw new Error('grammar recursion deeper than 24 levels');
    const rule = this.rules[j]!;
    let k: number;
    if (rule.cum === null) k = Math.floor(rng.float() * rule.alts.length);
    else {
      const x = rng.float() * rule.total;
      k = 0;
      while (k < rule.cum.length - 1 && rule.cum[k]! <= x) k++;
    }
    const parts = rule.alts[k]!;
    let out = '';
    let pending = cap;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p]!;
      let s: string;
      if (part.kind === LITERAL) s = pending ? part.capText : part.text;
      else {
        if (part.kind === SYMBOL) s = this.run(rng, part.sym, vars, depth + 1, part.cap || (pending && !part.article));
        else {
          const v = vars[part.text];
          if (v === undefined) throw new Error(`grammar slot {$${part.text}} has no value; pass it in the vars of say()`);
          s = typeof v === 'string' ? v : v.length === 0 ? '' : v[Math.floor(rng.float() * v.length)]!;
          if (part.cap || (pending && !part.article)) s = capFirst(s);
        }
        if (part.article) {
          s = `${article(s)} ${s}`;
          if (pending) s = capFirst(s);
        }
      }
      if (pending && s.length > 0) pending = false;
      out += s;
    }
    return out;
  }

  private parse(name: string, text: string): Part[] {
    const pieces: (string | Part)[] = [];
    let last = 0;
    for (const m of text.matchAll(SLOT)) {
      if (m.index > last) pieces.push(text.slice(last, m.index));
      const [, cap, art, isVar, id] = m;
      if (isVar) pieces.push(new Part(VARIABLE, id!, -1, !!cap, !!art));
      else {
        const sym = this.index.get(id!);
        if (sym === undefined) throw new Error(`grammar symbol "${name}" refers to unknown symbol {${id}} in "${text}"`);
        pieces.push(new Part(SYMBOL, '', sym, !!cap, !!art));
      }
      last = m.index + m[0].length;
    }
    if (last < text.length) pieces.push(text.slice(last));
    // Adjacent literals merge, so a literal-only alternative is a single part.
    const merged: (string | Part)[] = [];
    for (const p of pieces) {
      const prev = merged[merged.length - 1];
      if (typeof p === 'string' && typeof prev === 'string') merged[merged.length - 1] = prev + p;
      else merged.push(p);
    }
    return merged.map((p) => (typeof p === 'string' ? new Part(LITERAL, p, -1, false, false) : p));
  }
}

/** Builds (and checks) a grammar once, at module load. */
export function grammar(spec: GrammarSpec): Grammar {
  return new Grammar(spec);
}
