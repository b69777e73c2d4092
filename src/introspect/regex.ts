/**
 * Regular expressions of CHECK constraints (`code ~ '^[a-z0-9_]{1,100}$'`, `isrc ~
 * '^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$'`), read as Postgres reads them (ARE: POSIX classes such as
 * `[[:alpha:]]`, `\d`, `\w`, `\s`, bounds `{n,m}`): a small AST that can
 * - generate strings that match (`generate`), optionally unique by the row index: the index is
 *   written, in the alphabet of the largest repeat, into that repeat's positions;
 * - say how long a match can be, and how many distinct values it can carry (`capacity`);
 * - translate to a JavaScript RegExp for checks at run time (`toJsRegExp`, null when it cannot).
 * Unsupported syntax (back-references, look-arounds) throws: the caller reports the check.
 */
import type { Rng } from '../random/rng.js';

type Node =
  | { n: 'seq'; items: Node[] }
  | { n: 'alt'; options: Node[] }
  | { n: 'set'; chars: string }
  | { n: 'rep'; item: Node; min: number; max: number }
  | { n: 'bol' }
  | { n: 'eol' };

export interface Regex {
  source: string;
  root: Node;
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

const range = (a: number, b: number): string => String.fromCharCode(...Array.from({ length: b - a + 1 }, (_, i) => a + i));
const DIGITS = range(48, 57);
const UPPER = range(65, 90);
const LOWER = range(97, 122);
const WORD = `${DIGITS}${UPPER}${LOWER}_`;
const SPACE = ' \t';
/** Printable ASCII: what `.` and negated classes draw from. */
const PRINTABLE = range(32, 126);
const POSIX: Record<string, string> = {
  alpha: UPPER + LOWER, digit: DIGITS, alnum: DIGITS + UPPER + LOWER, upper: UPPER, lower: LOWER, space: SPACE,
  xdigit: `${DIGITS}abcdefABCDEF`, punct: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", word: WORD, blank: ' \t', print: PRINTABLE, graph: range(33, 126),
};
/** Upper bound used for `*`, `+` and open `{n,}` when generating. */
const OPEN_MAX = 12;

export function parseRegex(source: string): Regex {
  let i = 0;
  const s = source;
  const fail = (why: string): never => {
    throw new Error(`regular expression ${JSON.stringify(source)}: ${why}`);
  };
  const escape = (): string => {
    const c = s[i++];
    if (c === undefined) fail('trailing backslash');
    if (c === 'd') return DIGITS;
    if (c === 'w') return WORD;
    if (c === 's') return SPACE;
    if (c === 'D') return without(PRINTABLE, DIGITS);
    if (c === 'W') return without(PRINTABLE, WORD);
    if (c === 'S') return without(PRINTABLE, SPACE);
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    if (/[1-9]/.test(c!) || 'bBmMyYAZ'.includes(c!)) fail(`\\${c} is not supported`);
    return c!;
  };
  const bracket = (): string => {
    let negate = false;
    if (s[i] === '^') { negate = true; i++; }
    let chars = '';
    let first = true;
    while (i < s.length && (s[i] !== ']' || first)) {
      first = false;
      if (s.startsWith('[:', i)) {
        const end = s.indexOf(':]', i);
        const name = end > 0 ? s.slice(i + 2, end) : '';
        if (!POSIX[name]) fail(`unknown class [:${name}:]`);
        chars += POSIX[name];
        i = end + 2;
        continue;
      }
      let c: string;
      if (s[i] === '\\') { i++; c = escape(); }
      else c = s[i++]!;
      if (c.length === 1 && s[i] === '-' && s[i + 1] !== undefined && s[i + 1] !== ']') {
        i++;
        let d: string = s[i++]!;
        if (d === '\\') d = escape();
        if (d.length !== 1 || d.charCodeAt(0) < c.charCodeAt(0)) fail('bad range in a bracket expression');
        chars += range(c.charCodeAt(0), d.charCodeAt(0));
      } else chars += c;
    }
    if (s[i] !== ']') fail('unterminated bracket expression');
    i++;
    const set = [...new Set(chars)].join('');
    return negate ? without(PRINTABLE, set) : set;
  };
  const atom = (): Node => {
    const c = s[i]!;
    if (c === '(') {
      i++;
      if (s[i] === '?') {
        if (s[i + 1] === ':') i += 2;
        else fail('look-arounds are not supported');
      }
      const inner = alternation();
      if (s[i] !== ')') fail('unbalanced parenthesis');
      i++;
      return inner;
    }
    if (c === '[') { i++; return { n: 'set', chars: bracket() }; }
    if (c === '.') { i++; return { n: 'set', chars: PRINTABLE }; }
    if (c === '^') { i++; return { n: 'bol' }; }
    if (c === '$') { i++; return { n: 'eol' }; }
    if (c === '\\') { i++; return { n: 'set', chars: escape() }; }
    i++;
    return { n: 'set', chars: c };
  };
  const quantified = (): Node => {
    let item = atom();
    for (;;) {
      const c = s[i];
      let min: number;
      let max: number;
      if (c === '*') { min = 0; max = Infinity; i++; }
      else if (c === '+') { min = 1; max = Infinity; i++; }
      else if (c === '?') { min = 0; max = 1; i++; }
      else if (c === '{' && /^\{\d*(,\d*)?\}/.test(s.slice(i))) {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(s.slice(i))!;
        min = m[1] ? Number(m[1]) : 0;
        max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
        i += m[0].length;
      } else return item;
      if (s[i] === '?') i++; // non-greedy: same language
      if (item.n === 'bol' || item.n === 'eol') fail('quantified anchor');
      item = { n: 'rep', item, min, max };
    }
  };
  const sequence = (): Node => {
    const items: Node[] = [];
    while (i < s.length && s[i] !== '|' && s[i] !== ')') items.push(quantified());
    return items.length === 1 ? items[0]! : { n: 'seq', items };
  };
  const alternation = (): Node => {
    const options = [sequence()];
    while (s[i] === '|') { i++; options.push(sequence()); }
    return options.length === 1 ? options[0]! : { n: 'alt', options };
  };
  const root = alternation();
  if (i !== s.length) fail('unbalanced parenthesis');
  const top = root.n === 'seq' ? root.items : [root];
  return { source, root, anchoredStart: top[0]?.n === 'bol', anchoredEnd: top[top.length - 1]?.n === 'eol' };
}

function without(all: string, remove: string): string {
  const r = new Set(remove);
  return [...all].filter((c) => !r.has(c)).join('');
}

/** Shortest and longest match (Infinity when unbounded). */
export function lengthRange(node: Node): [number, number] {
  switch (node.n) {
    case 'set': return [1, 1];
    case 'bol': case 'eol': return [0, 0];
    case 'rep': {
      const [a, b] = lengthRange(node.item);
      return [a * node.min, node.max === Infinity ? (b === 0 ? 0 : Infinity) : b * node.max];
    }
    case 'seq': return node.items.map(lengthRange).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
    case 'alt': {
      const r = node.options.map(lengthRange);
      return [Math.min(...r.map((x) => x[0])), Math.max(...r.map((x) => x[1]))];
    }
  }
}

/** The repeat of a single character set with the most distinct fillings (where a unique index goes). */
function bestSlot(node: Node, maxLen: number): { rep: Extract<Node, { n: 'rep' }>; len: number; capacity: number } | null {
  let best: { rep: Extract<Node, { n: 'rep' }>; len: number; capacity: number } | null = null;
  const visit = (x: Node, inAlt: boolean): void => {
    if (x.n === 'rep' && x.item.n === 'set' && !inAlt) {
      const base = x.item.chars.length;
      const len = Math.max(x.min, Math.min(x.max, x.min + 12, maxLen));
      const capacity = base <= 1 ? 1 : Math.min(Number.MAX_SAFE_INTEGER, Math.pow(base, len));
      if (!best || capacity > best.capacity) best = { rep: x, len, capacity };
      return;
    }
    if (x.n === 'seq') x.items.forEach((y) => visit(y, inAlt));
    if (x.n === 'alt') x.options.forEach((y) => visit(y, true));
    if (x.n === 'rep') visit(x.item, true);
  };
  visit(node, false);
  return best;
}

/** Distinct strings `generate(re, rng, i)` can make for i = 0, 1, … (0 when it cannot carry an index). */
export function capacity(re: Regex, maxLen = Infinity): number {
  return bestSlot(re.root, maxLen)?.capacity ?? 0;
}

/**
 * A string matching `re` (within `maxLen` when possible). With `index`, unique per index: the
 * index is written in base |set| into the best repeat, padded to its length.
 */
export function generate(re: Regex, rng: Rng, index: number | null = null, maxLen = Infinity, minLen = 0): string {
  const slot = index === null ? null : bestSlot(re.root, maxLen);
  const [lo] = lengthRange(re.root);
  let budget = Math.max(0, (Number.isFinite(maxLen) ? maxLen : 64) - lo);
  let extraNeeded = Math.max(0, minLen - lo);
  const out: string[] = [];
  const pick = (chars: string): string => chars[rng.int(0, chars.length - 1)]!;
  const emit = (x: Node): void => {
    switch (x.n) {
      case 'bol': case 'eol': return;
      case 'set': out.push(pick(x.chars)); return;
      case 'seq': x.items.forEach(emit); return;
      case 'alt': emit(x.options[rng.int(0, x.options.length - 1)]!); return;
      case 'rep': {
        const [a] = lengthRange(x.item);
        let count: number;
        if (slot && x === slot.rep && index !== null) {
          const chars = (x.item as { chars: string }).chars;
          const digits = encode(index, chars, slot.len);
          out.push(digits);
          budget -= Math.max(0, (slot.len - x.min) * a);
          return;
        }
        const top = Math.min(x.max, x.min + Math.max(0, Math.floor(budget / Math.max(1, a))), x.min + OPEN_MAX);
        count = x.min + (top > x.min ? rng.int(0, top - x.min) : 0);
        if (extraNeeded > 0 && count < top) {
          const add = Math.min(top - count, Math.ceil(extraNeeded / Math.max(1, a)));
          count += add;
        }
        budget -= (count - x.min) * a;
        extraNeeded -= (count - x.min) * a;
        for (let k = 0; k < count; k++) emit(x.item);
        return;
      }
    }
  };
  emit(re.root);
  return out.join('');
}

/** `i` in base |chars|, exactly `len` characters (most significant first). */
function encode(i: number, chars: string, len: number): string {
  const b = chars.length;
  let s = '';
  let v = i;
  for (let k = 0; k < len; k++) {
    s = chars[v % b]! + s;
    v = Math.floor(v / b);
  }
  return s;
}

/** The same pattern for JavaScript (`u` flag off), or null when the syntax differs too much. */
export function toJsRegExp(source: string, ci = false): RegExp | null {
  try {
    parseRegex(source); // rejects what Postgres and JS read differently (back-references, \m, …)
    let s = source.replace(/\[\[:(\w+):\]\]/g, (_, n: string) => (POSIX[n] ? `[${jsClass(POSIX[n]!)}]` : `[[:${n}:]]`));
    s = s.replace(/\[:(\w+):\]/g, (_, n: string) => (POSIX[n] ? jsClass(POSIX[n]!) : `[:${n}:]`));
    return new RegExp(s, ci ? 'i' : '');
  } catch {
    return null;
  }
}

const jsClass = (chars: string): string => chars.replace(/[\\\]^-]/g, (c) => `\\${c}`);

/**
 * A regex that is one character class repeated (`^[a-z0-9_]{1,100}$`): the case where an
 * existing value can be bent into shape (lower-cased, other characters replaced) instead of
 * generated from scratch.
 */
export function simpleClass(re: Regex): { chars: string; min: number; max: number } | null {
  const top = re.root.n === 'seq' ? re.root.items : [re.root];
  if (!re.anchoredStart || !re.anchoredEnd || top.length !== 3) return null;
  const mid = top[1]!;
  if (mid.n !== 'rep' || mid.item.n !== 'set') return null;
  return { chars: mid.item.chars, min: mid.min, max: mid.max };
}
