/**
 * The project config file, `seedpipe.config.ts` (or `.mts`, `.js`, `.mjs`, `.cjs`, `.json`): the
 * default target, dataset, output directory and sinks of a project. Found like drizzle-kit's: the
 * `--config` path, else the first such file in the working directory or one of its parents. Its
 * folder is the project directory (the embedded database, `.env`, relative paths).
 *
 * Precedence, for every setting: a flag, then the environment (`.env` included), then the config
 * file, then the built-in default. Validated once with zod, frozen, and passed explicitly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { importUserModule } from '../dataset/load.js';
import { SeedpipeError, usageError } from '../errors.js';

export const CONFIG_FILES = ['seedpipe.config.ts', 'seedpipe.config.mts', 'seedpipe.config.js', 'seedpipe.config.mjs', 'seedpipe.config.cjs', 'seedpipe.config.json'] as const;

const sizeSchema = z.union([z.number().int().positive(), z.string().min(1)]);

const configSchema = z.strictObject({
  /** Dataset used when a command is given none: a built-in name or a path (relative to this file). */
  dataset: z.string().min(1).optional(),
  /** Default row-count profile. */
  profile: z.string().min(1).optional(),
  db: z.strictObject({
    /** postgres:// URL; `DATABASE_URL` and `--db` win over it. */
    url: z.string().min(1).optional(),
    /** Postgres schema of the tables (for commands that take `--schema`). */
    schema: z.string().min(1).optional(),
  }).optional(),
  /** CSV output directory (relative to this file). Default `out/<dataset>`. */
  out: z.string().min(1).optional(),
  s3: z.strictObject({
    url: z.string().regex(/^s3:\/\//, 'an s3://bucket/prefix URL').optional(),
    endpoint: z.string().url().optional(),
    region: z.string().min(1).optional(),
    /** Part size: bytes, or a size such as "8MiB" (KB/MB/GB are read as KiB/MiB/GiB). */
    partSize: sizeSchema.optional(),
    queueSize: z.number().int().min(1).max(64).optional(),
    sse: z.enum(['AES256', 'aws:kms']).optional(),
    sseKmsKeyId: z.string().min(1).optional(),
    createBucket: z.boolean().optional(),
    gzip: z.boolean().optional(),
  }).optional(),
  vectors: z.strictObject({
    url: z.string().regex(/^(pinecone|lancedb):\/\//, 'a pinecone://<index> or lancedb://<dir> URL').optional(),
    embedder: z.string().regex(/^(local|openai:.+)$/, '"local" or "openai:<model>"').optional(),
    dimensions: z.number().int().min(1).max(20_000).optional(),
    /** Disk cache of embeddings. Default: off for the local embedder, on for paid providers. */
    cache: z.boolean().optional(),
    cacheDir: z.string().min(1).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
  }).optional(),
});

export type SeedpipeConfig = z.infer<typeof configSchema>;

/** Types a `seedpipe.config.ts` (`export default defineConfig({ … })`); validated when the CLI loads it. */
export function defineConfig(config: SeedpipeConfig): SeedpipeConfig {
  return config;
}

export interface LoadedConfig {
  file: string;
  dir: string;
  config: Readonly<SeedpipeConfig>;
}

/** The config file for `cwd`: `explicit` (a path, relative to `cwd`), else the nearest up the tree. */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const p = resolve(cwd, explicit);
    if (!existsSync(p)) throw usageError('CONFIG_NOT_FOUND', `--config ${explicit}: no such file`);
    return p;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) if (existsSync(join(dir, name))) return join(dir, name);
    if (dirname(dir) === dir) return undefined;
  }
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  let raw: unknown;
  if (file.endsWith('.json')) {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new SeedpipeError('CONFIG_INVALID', `${file} is not valid JSON: ${(e as Error).message}`, { disposition: 'usage', cause: e });
    }
  } else {
    const mod = await importUserModule(file, 'config file');
    raw = mod.default ?? mod.config;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new SeedpipeError('CONFIG_INVALID', `${file} is not a valid seedpipe config:\n${problems.join('\n')}`, { disposition: 'usage' });
  }
  const dir = dirname(file);
  const c = parsed.data;
  // Paths in the file are relative to it, wherever the command runs.
  const rel = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  const config: SeedpipeConfig = {
    ...c,
    ...(c.dataset && /[/\\.]/.test(c.dataset) ? { dataset: rel(c.dataset) } : {}),
    ...(c.out ? { out: rel(c.out) } : {}),
    ...(c.vectors?.cacheDir ? { vectors: { ...c.vectors, cacheDir: rel(c.vectors.cacheDir) } } : {}),
  };
  return { file, dir, config: deepFreeze(config) };
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') for (const v of Object.values(o)) deepFreeze(v);
  return Object.freeze(o);
}

/**
 * Variables of `<dir>/.env`, parsed with Node's own parser (the one behind node's env-file option: no
 * dependency, same syntax), merged under `env`: a variable already set in the environment wins.
 * Values are never printed; the CLI redacts the secrets among them like any other.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, dir: string): { env: NodeJS.ProcessEnv; file?: string } {
  const file = join(dir, '.env');
  if (!existsSync(file)) return { env };
  let vars: Record<string, string>;
  try {
    vars = parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (e) {
    throw new SeedpipeError('DOTENV_INVALID', `${file} cannot be read: ${(e as Error).message}`, { disposition: 'usage', cause: e });
  }
  return { env: { ...vars, ...env }, file };
}
