/**
 * Format-keeping pseudonyms. Each value's pseudonym is drawn from a stream keyed by
 * SipHash-2-4 under two 128-bit keys derived from the secret (SHA-256), of kind ‖ value: the same value gives the same pseudonym under one key in every
 * table and column of that kind (so keys and foreign keys stay joined), and without the key the
 * pseudonym says nothing about the value. Formats survive: an email stays an email, a phone keeps its
 * digits' layout, text keeps its word lengths, punctuation and case, an id its letters, digits and
 * separators, a uuid is a uuid, an integer id a distinct integer of as many digits.
 */
import { createHash } from 'node:crypto';
import { siphash, sipKey, type SipKey } from './siphash.js';
import { CITIES, FIRST, LAST, STREETS, SUFFIXES, SYLLABLES, TLDS } from './words.js';

export type MaskKind = 'email' | 'name' | 'first_name' | 'last_name' | 'phone' | 'address' | 'city' | 'postal' | 'text' | 'id' | 'uuid';
export const MASK_KINDS: readonly MaskKind[] = ['email', 'name', 'first_name', 'last_name', 'phone', 'address', 'city', 'postal', 'text', 'id', 'uuid'];

/** A deterministic stream of 32-bit draws (sfc32) seeded from a digest. */
class Draws {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  base36(len: number): string {
    let s = '';
    for (let i = 0; i < len; i++) s += '0123456789abcdefghijklmnopqrstuvwxyz'[this.int(36)];
    return s;
  }
}

const UPPER = /\p{Lu}/u;
const LETTER = /\p{L}/u;

/** `word` in the case pattern of `like` (UPPER, lower or Capitalised). */
function cased(word: string, like: string): string {
  if (like.length > 1 && like === like.toUpperCase() && like !== like.toLowerCase()) return word.toUpperCase();
  if (UPPER.test(like[0] ?? '')) return word[0]!.toUpperCase() + word.slice(1).toLowerCase();
  return word.toLowerCase();
}

/** A pseudo word of `n` letters from syllables. */
function pseudoWord(d: Draws, n: number): string {
  let s = '';
  while (s.length < n) s += d.pick(SYLLABLES);
  return s.slice(0, n);
}

/** Letters → letters (case kept), digits → digits, everything else as it is. */
function sameShape(d: Draws, v: string): string {
  let out = '';
  for (const ch of v) {
    if (ch >= '0' && ch <= '9') out += String(d.int(10));
    else if (LETTER.test(ch)) {
      const l = 'abcdefghijklmnopqrstuvwxyz'[d.int(26)]!;
      out += UPPER.test(ch) ? l.toUpperCase() : l;
    } else out += ch;
  }
  return out;
}

const isLetter = (c: number, ch: string): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 0xc0 && LETTER.test(ch));

/**
 * Words (runs of letters) → pseudo words of the same length and case, digits → digits, the rest kept.
 * A scan by character codes: the hot path of masking free text.
 */
function text(d: Draws, v: string): string {
  let out = '';
  const n = v.length;
  let i = 0;
  while (i < n) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      out += String.fromCharCode(48 + d.int(10));
      i++;
    } else if (isLetter(c, v[i]!)) {
      let j = i + 1;
      while (j < n && isLetter(v.charCodeAt(j), v[j]!)) j++;
      const w = pseudoWord(d, j - i);
      const upper = c <= 90 || (c >= 0xc0 && UPPER.test(v[i]!));
      const allUpper = upper && j - i > 1 && v.slice(i, j) === v.slice(i, j).toUpperCase();
      out += allUpper ? w.toUpperCase() : upper ? w[0]!.toUpperCase() + w.slice(1) : w;
      i = j;
    } else {
      out += v[i];
      i++;
    }
  }
  return out;
}

const PERSON = /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}?[\p{L}'’.-]*){0,3}$/u;

function name(d: Draws, v: string): string {
  // Something that is not a person's name (a slug, a handle with digits) keeps its own shape.
  if (!PERSON.test(v.trim())) return text(d, v);
  const words = v.trim().split(/\s+/);
  return words.map((w, i) => cased(i === 0 && words.length > 1 ? d.pick(FIRST) : i === 0 ? d.pick(FIRST) : d.pick(LAST), w)).join(' ');
}

function email(d: Draws, v: string): string {
  const at = v.lastIndexOf('@');
  if (at < 1) return sameShape(d, v);
  // 8 base-36 characters (41 bits) on top of the name pair: distinct emails stay distinct in practice.
  return `${d.pick(FIRST)}.${d.pick(LAST)}.${d.base36(8)}@example.${d.pick(TLDS)}`.toLowerCase();
}

function phone(d: Draws, v: string): string {
  let first = true;
  return v.replace(/\d/g, (ch) => {
    const keepNonZero = first && ch !== '0';
    first = false;
    return String(keepNonZero ? 1 + d.int(9) : d.int(10));
  });
}

function address(d: Draws, v: string): string {
  if (!/\p{L}/u.test(v)) return sameShape(d, v);
  const num = /\d/.test(v) ? `${1 + d.int(999)} ` : '';
  return `${num}${d.pick(STREETS)} ${d.pick(SUFFIXES)}`;
}

function uuid(d: Draws, v: string): string {
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[d.int(16)]).join('');
  const u = `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[d.int(4)]}${hex(3)}-${hex(12)}`;
  return v === v.toUpperCase() && /[A-F]/.test(v) ? u.toUpperCase() : u;
}

/** The pseudonymiser of one key. */
export class Pseudonyms {
  private readonly k1: SipKey;
  private readonly k2: SipKey;
  constructor(key: string | Buffer) {
    // Two independent 128-bit keys from the secret, whatever its length.
    const d = createHash('sha256').update(Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf8')).digest();
    this.k1 = sipKey(d.subarray(0, 16));
    this.k2 = sipKey(d.subarray(16, 32));
  }

  /** 128 keyed bits of (kind, value) seed the value's draws. */
  private draws(kind: string, v: string): Draws {
    const m = Buffer.from(`${kind}\u0000${v}`, 'utf8');
    const [a, b] = siphash(this.k1, m);
    const [c, d] = siphash(this.k2, m);
    return new Draws(a, b, c, d);
  }

  /** A string value's pseudonym of a kind; `unique` adds a short keyed suffix to kinds drawn from small lists. */
  string(kind: MaskKind, v: string, unique = false): string {
    // Kinds that can share values (a name in users and in a DM channel's name) share the stream key.
    const family = kind === 'first_name' || kind === 'last_name' ? 'name' : kind;
    const d = this.draws(family, v);
    const make = (): string => {
      switch (kind) {
        case 'email': return email(d, v);
        case 'name': return name(d, v);
        case 'first_name': return cased(d.pick(FIRST), v);
        case 'last_name': return cased(d.pick(LAST), v);
        case 'phone': return phone(d, v);
        case 'address': return address(d, v);
        case 'city': return cased(d.pick(CITIES), v);
        case 'postal': case 'id': return sameShape(d, v);
        case 'uuid': return uuid(d, v);
        default: return text(d, v);
      }
    };
    // A pseudonym never repeats its value (a name drawn from the list it came from): draw on.
    let out = make();
    for (let i = 0; out === v && i < 16; i++) out = make();
    return unique && (kind === 'name' || kind === 'first_name' || kind === 'last_name' || kind === 'city' || kind === 'address') ? `${out} ${d.base36(6)}` : out;
  }

  /**
   * An integer's pseudonym with as many digits (and sign): a keyed permutation of the integers of that
   * many digits (a Feistel network with cycle-walking), so distinct ids stay distinct and every
   * occurrence of an id maps alike.
   */
  integer(v: number): number {
    if (!Number.isSafeInteger(v)) return v;
    const neg = v < 0;
    const a = Math.abs(v);
    const digits = String(a).length;
    const lo = digits === 1 ? 0 : 10 ** (digits - 1);
    const hi = 10 ** digits;
    const bits = Math.max(2, Math.ceil(Math.log2(hi)) + (Math.ceil(Math.log2(hi)) % 2));
    const half = bits / 2;
    const mask = 2 ** half;
    const round = (r: number, x: number): number => siphash(this.k1, Buffer.from(`int:${digits}:${r}:${x}`))[1] % mask;
    let x = a;
    do {
      let l = Math.floor(x / mask);
      let r = x % mask;
      for (let k = 0; k < 4; k++) {
        const nl = r;
        r = (l + round(k, r)) % mask;
        l = nl;
      }
      x = l * mask + r;
    } while (x < lo || x >= hi);
    return neg ? -x : x;
  }
}
