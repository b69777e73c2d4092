/**
 * Disk cache for any embedder: a re-run with the same texts makes zero provider requests.
 *
 * Layout: `<cacheDir>/<space>/<k0k1>/<k2k3>/<rest of k>.f32`, where `space` = sha256(embedder id)
 * (the id names provider, model and dimensions, so vectors of different spaces never mix) and
 * `k` = sha256(text). Each file holds the raw vector as little-endian float32, nothing else; a
 * file of the wrong length is treated as a miss and rewritten.
 *
 * Why one file per vector: nothing is held in memory (no index to load, whatever the cache size),
 * writes are atomic (temp file + rename, so readers never see half a vector and concurrent runs
 * writing the same key both write identical bytes), and there is no lock. The two-level fan-out
 * keeps directories at ≤ 65,536 × a few entries. The cost is one small file per distinct text
 * (≈ 1.5 KB at 384 dimensions, 6 KB at 1536): a million distinct texts take a million inodes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Embedder, EmbedderStats } from './types.js';
import { emptyStats } from './types.js';

export interface CacheOptions {
  /** Cache files read or written at once. Default 32. */
  ioConcurrency?: number;
  /** Called once if the cache cannot be written (the run goes on without caching). Default `process.emitWarning`. */
  warn?: (msg: string) => void;
}

export interface CacheKey {
  /** Directory name of the embedder's vector space. */
  space: string;
  /** sha256 of the text, hex. */
  key: string;
  /** Path of the vector file relative to the cache directory. */
  relPath: string;
}

const LITTLE_ENDIAN = endianness() === 'LE';

export function embedderSpace(embedderId: string): string {
  return createHash('sha256').update(`seedpipe-embeddings-v1\0${embedderId}`).digest('hex').slice(0, 32);
}

/** Where the vector of `text` under embedder `embedderId` is stored. */
export function cacheKey(embedderId: string, text: string, space = embedderSpace(embedderId)): CacheKey {
  const key = createHash('sha256').update(text, 'utf8').digest('hex');
  return { space, key, relPath: join(space, key.slice(0, 2), key.slice(2, 4), `${key.slice(4)}.f32`) };
}

function encode(v: Float32Array): Buffer {
  const buf = Buffer.from(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  return LITTLE_ENDIAN ? buf : buf.swap32();
}

function decode(buf: Buffer): Float32Array {
  const copy = Buffer.from(buf);
  if (!LITTLE_ENDIAN) copy.swap32();
  return new Float32Array(copy.buffer, copy.byteOffset, copy.length / 4);
}

let tmpCounter = 0;

export class CachedEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly dir: string;
  readonly preferredBatch: number | undefined;
  readonly maxInputTokens: number | undefined;
  readonly #inner: Embedder;
  readonly #root: string;
  readonly #space: string;
  readonly #io: ReturnType<typeof pLimit>;
  readonly #warn: (msg: string) => void;
  readonly #madeDirs = new Set<string>();
  #hits = 0;
  #warned = false;
  #ready: Promise<void> | undefined;

  constructor(inner: Embedder, cacheDir: string, opts: CacheOptions = {}) {
    this.#inner = inner;
    this.id = inner.id;
    this.dimensions = inner.dimensions;
    this.preferredBatch = inner.preferredBatch;
    this.maxInputTokens = inner.maxInputTokens;
    this.#space = embedderSpace(inner.id);
    this.#root = cacheDir;
    this.dir = join(cacheDir, this.#space);
    this.#io = pLimit(Math.max(1, opts.ioConcurrency ?? 32));
    this.#warn = opts.warn ?? ((m) => process.emitWarning(m, 'SeedpipeWarning'));
  }

  fit(text: string): { text: string; truncated: boolean } {
    return this.#inner.fit ? this.#inner.fit(text) : { text, truncated: false };
  }

  stats(): EmbedderStats {
    return { ...(this.#inner.stats?.() ?? emptyStats()), cacheHits: this.#hits };
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    const bytes = this.dimensions * 4;
    // Same text twice in a batch: looked up and embedded once.
    const byKey = new Map<string, { relPath: string; text: string; at: number[] }>();
    texts.forEach((text, i) => {
      const k = cacheKey(this.id, text, this.#space);
      const e = byKey.get(k.key);
      if (e) e.at.push(i);
      else byKey.set(k.key, { relPath: k.relPath, text, at: [i] });
    });
    const entries = [...byKey.values()];
    const found = await Promise.all(entries.map((e) => this.#io(async () => {
      try {
        const buf = await readFile(join(this.dirRoot, e.relPath));
        return buf.length === bytes ? decode(buf) : undefined;
      } catch {
        return undefined;
      }
    })));
    const out = new Array<Float32Array>(texts.length);
    const misses: typeof entries = [];
    entries.forEach((e, j) => {
      const v = found[j];
      if (v) {
        for (const i of e.at) out[i] = v;
        this.#hits += e.at.length;
      } else misses.push(e);
    });
    if (misses.length > 0) {
      const vectors = await this.#inner.embed(misses.map((m) => m.text), signal);
      misses.forEach((m, j) => {
        for (const i of m.at) out[i] = vectors[j] as Float32Array;
      });
      await this.#store(misses.map((m, j) => ({ relPath: m.relPath, vector: vectors[j] as Float32Array })));
    }
    return out;
  }

  /** The cache directory given to the constructor (parent of this embedder's space). */
  get dirRoot(): string {
    return this.#root;
  }

  async #store(items: { relPath: string; vector: Float32Array }[]): Promise<void> {
    try {
      this.#ready ??= this.#writeSpaceInfo();
      await this.#ready;
      await Promise.all(items.map((it) => this.#io(async () => {
        const file = join(this.dirRoot, it.relPath);
        const dir = join(file, '..');
        if (!this.#madeDirs.has(dir)) {
          await mkdir(dir, { recursive: true });
          if (this.#madeDirs.size < 70_000) this.#madeDirs.add(dir);
        }
        const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
        try {
          await writeFile(tmp, encode(it.vector));
          await rename(tmp, file);
        } catch (err) {
          await rm(tmp, { force: true });
          throw err;
        }
      })));
    } catch (err) {
      if (!this.#warned) {
        this.#warned = true;
        this.#warn(`Embedding cache ${this.dirRoot} cannot be written (${err instanceof Error ? err.message : String(err)}); continuing without caching new vectors.`);
      }
    }
  }

  async #writeSpaceInfo(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const info = join(this.dir, 'embedder.json');
    const tmp = `${info}.${process.pid}.${++tmpCounter}.tmp`;
    await writeFile(tmp, `${JSON.stringify({ id: this.id, dimensions: this.dimensions, format: 'float32le' })}\n`);
    await rename(tmp, info);
  }
}

/** Wraps `inner` so that only texts not yet in `cacheDir` reach it. */
export function cachedEmbedder(inner: Embedder, cacheDir: string, opts: CacheOptions = {}): CachedEmbedder {
  return new CachedEmbedder(inner, cacheDir, opts);
}
