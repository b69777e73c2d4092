/**
 * Batching helpers: split work by count AND weight (bytes, tokens), whichever limit comes first;
 * measure Pinecone request bodies exactly; fit metadata into a byte budget.
 */
import type { MetadataValue, VectorRecord } from './indexes/types.js';

export interface ChunkLimits<T> {
  /** At most this many items per chunk (≥ 1). */
  maxItems: number;
  /** At most this total weight per chunk; an item heavier than this alone gets a chunk of its own. */
  maxWeight: number;
  weight(item: T): number;
  /** Fixed weight of a chunk with no items (e.g. a request envelope). Default 0. */
  baseWeight?: number;
}

/** Greedy, order-preserving split by count and weight. */
export function* chunkBy<T>(items: Iterable<T>, limits: ChunkLimits<T>): Generator<T[]> {
  const maxItems = Math.max(1, Math.floor(limits.maxItems));
  const base = limits.baseWeight ?? 0;
  let chunk: T[] = [];
  let weight = base;
  for (const item of items) {
    const w = limits.weight(item);
    if (chunk.length > 0 && (chunk.length >= maxItems || weight + w > limits.maxWeight)) {
      yield chunk;
      chunk = [];
      weight = base;
    }
    chunk.push(item);
    weight += w;
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Vector values as JSON numbers with 9 significant digits: enough to round-trip every float32
 * exactly (IEEE 754: 9 digits), and about half the bytes of printing the widened double
 * (`0.123456791043281555` → `0.123456791`). Pinecone stores float32, so nothing is lost.
 */
export function wireValues(values: Float32Array | readonly number[]): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = round9(values[i] ?? 0);
  return out;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact in binary64 up to 1e22

/**
 * `v` rounded to 9 significant digits, as the double nearest that decimal (so JSON prints at most
 * 9 digits). Scaling by an exact power of ten and rounding is ~4× faster than `toPrecision`; its
 * error (at most one unit in the 9th digit) stays below half a float32 ulp, so `Math.fround` of
 * the result is still `v` for every float32 (checked by the unit tests).
 */
export function round9(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v === 0 ? 0 : v;
  // Rounded on the magnitude so that v and -v give the same digits (Math.round is asymmetric).
  const a = Math.abs(v);
  const p = 8 - Math.floor(Math.log10(a));
  let r: number;
  if (p >= 0 && p <= 22) r = Math.round(a * (POW10[p] as number)) / (POW10[p] as number);
  else if (p < 0 && p >= -22) r = Math.round(a / (POW10[-p] as number)) * (POW10[-p] as number);
  else r = Number(a.toPrecision(9));
  return v < 0 ? -r : r;
}

/**
 * Length of `JSON.stringify(round9(v))` computed arithmetically (~10× cheaper than printing it):
 * the 9 significant digits less trailing zeros, placed around the decimal point. Never below the
 * printed length; equal to it except where a shorter decimal names the same double.
 */
export function jsonLength9(v: number): number {
  if (v === 0) return 1;
  const a = Math.abs(v);
  // Outside [1e-6, 1e21) JavaScript prints exponents: rare in embeddings, print those.
  if (!(a >= 1e-6 && a < 1e21)) return String(round9(v)).length;
  let e = Math.floor(Math.log10(a));
  const p = 8 - e;
  let n = p >= 0 ? Math.round(a * (POW10[p] as number)) : Math.round(a / (POW10[-p] as number));
  if (n >= 1e9) {
    n = Math.round(n / 10);
    e++;
  }
  if (n < 1e8) return String(round9(v)).length;
  let digits = 9;
  while (n % 10 === 0) {
    n /= 10;
    digits--;
  }
  const body = e >= 0 ? (digits > e + 1 ? digits + 1 : e + 1) : 2 + (-e - 1) + digits;
  return (v < 0 ? 1 : 0) + body;
}

/** Length of the JSON array of `values` (already rounded by `wireValues`). */
export function valuesJsonLength(values: readonly number[]): number {
  let n = 2 + Math.max(0, values.length - 1);
  for (let i = 0; i < values.length; i++) n += jsonLength9(values[i] ?? 0);
  return n;
}

/** A record as the Pinecone SDK serialises it (`VectorToJSON`): id, values, metadata. */
export interface WireRecord {
  id: string;
  values: number[];
  metadata?: Record<string, MetadataValue>;
}

export function toWireRecord(r: VectorRecord): WireRecord {
  const w: WireRecord = { id: r.id, values: wireValues(r.values) };
  if (Object.keys(r.metadata).length > 0) w.metadata = r.metadata;
  return w;
}

/**
 * UTF-8 bytes of the JSON of one wire record: id and metadata serialised, the values counted
 * arithmetically (they are most of the bytes, and printing them twice, here and in the SDK,
 * would double the CPU cost of an upsert). An upper bound that is exact in practice.
 */
export function wireRecordBytes(r: WireRecord): number {
  const shell = Buffer.byteLength(JSON.stringify({ id: r.id, values: [], ...(r.metadata ? { metadata: r.metadata } : {}) }));
  return shell - 2 + valuesJsonLength(r.values);
}

/**
 * Bytes of the upsert envelope `{"vectors":[],"namespace":"…"}` without its records; each record
 * then adds its own bytes plus one comma separator (counted per record, so this is an upper
 * bound by one byte).
 */
export function upsertEnvelopeBytes(namespace: string): number {
  return Buffer.byteLength(JSON.stringify({ vectors: [], namespace }));
}

/**
 * Rough JSON bytes of one record before its vector exists (for planning embedding batches):
 * a float32 printed with 9 significant digits takes at most 15 bytes plus a comma.
 */
export function estimateRecordBytes(id: string, metadata: Record<string, MetadataValue>, dimensions: number): number {
  return Buffer.byteLength(id) + Buffer.byteLength(JSON.stringify(metadata)) + dimensions * 16 + 40;
}

/**
 * Converts user metadata into values a vector index accepts (string, finite number, boolean,
 * string[]): null/undefined are dropped (Pinecone rejects null), Dates become ISO strings, bigints
 * numbers when safe else strings, arrays become string arrays, other objects JSON strings.
 */
export function normalizeMetadata(input: Record<string, unknown>): Record<string, MetadataValue> {
  const out: Record<string, MetadataValue> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === null || v === undefined) continue;
    switch (typeof v) {
      case 'string':
      case 'boolean':
        out[k] = v;
        break;
      case 'number':
        if (Number.isFinite(v)) out[k] = v;
        break;
      case 'bigint':
        out[k] = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
        break;
      case 'object':
        if (v instanceof Date) out[k] = v.toISOString();
        else if (Array.isArray(v)) out[k] = v.filter((x) => x !== null && x !== undefined).map((x) => (typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x)));
        else out[k] = JSON.stringify(v);
        break;
      default:
        out[k] = String(v);
    }
  }
  return out;
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  if (Buffer.byteLength(s) <= maxBytes) return s;
  const buf = Buffer.from(s).subarray(0, maxBytes);
  // Drop an incomplete trailing sequence: back up over continuation bytes (10xxxxxx) to the lead.
  let end = buf.length;
  let i = end - 1;
  while (i >= 0 && ((buf[i] ?? 0) & 0xc0) === 0x80) i--;
  if (i >= 0) {
    const lead = buf[i] ?? 0;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (end - i < need) end = i;
  }
  return buf.subarray(0, end).toString('utf8');
}

export interface FittedMetadata {
  metadata: Record<string, MetadataValue>;
  /** Names of the fields that were shortened (strings) or lost trailing items (string arrays). */
  trimmed: string[];
  bytes: number;
}

/**
 * Makes `metadata` fit in `maxBytes` of JSON by shortening the largest string fields first (and
 * dropping trailing items of string arrays). Numbers and booleans are kept. Returns null when even
 * emptying every string cannot make it fit.
 */
export function fitMetadata(metadata: Record<string, MetadataValue>, maxBytes: number): FittedMetadata | null {
  let bytes = Buffer.byteLength(JSON.stringify(metadata));
  if (bytes <= maxBytes) return { metadata, trimmed: [], bytes };
  const out: Record<string, MetadataValue> = { ...metadata };
  const trimmed: string[] = [];
  const sizeOf = (v: MetadataValue): number => Buffer.byteLength(JSON.stringify(v));
  const candidates = Object.keys(out)
    .filter((k) => typeof out[k] === 'string' || Array.isArray(out[k]))
    .sort((a, b) => sizeOf(out[b] as MetadataValue) - sizeOf(out[a] as MetadataValue));
  for (const k of candidates) {
    if (bytes <= maxBytes) break;
    const v = out[k] as string | string[];
    const before = sizeOf(v);
    const excess = bytes - maxBytes;
    if (typeof v === 'string') {
      // JSON escaping can make the encoded form longer than the UTF-8 text: shrink until it fits.
      let budget = Math.max(0, Buffer.byteLength(v) - excess);
      let s = truncateUtf8(v, budget);
      while (s.length > 0 && before - sizeOf(s) < excess) {
        budget = Math.max(0, budget - Math.max(1, excess - (before - sizeOf(s))));
        s = truncateUtf8(v, budget);
      }
      out[k] = s;
    } else {
      const arr = [...v];
      while (arr.length > 0 && before - sizeOf(arr) < excess) arr.pop();
      out[k] = arr;
    }
    trimmed.push(k);
    bytes = Buffer.byteLength(JSON.stringify(out));
  }
  return bytes <= maxBytes ? { metadata: out, trimmed, bytes } : null;
}
