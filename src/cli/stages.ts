/**
 * Assembles a run's stages from flags and the environment (the CLI is the only place that reads
 * the environment; stages get explicit options): the encoders sinks may ask for, and the sinks.
 * Order matters: sinks commit in this order, so the database commits first and file manifests
 * (which say "complete") are written last. Stages are imported only through their folder's index.
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { Encoder, Sink } from '../contracts.js';
import type { DatasetDef } from '../dataset/types.js';
import { SeedpipeError, usageError } from '../errors.js';
import { intIn } from './options.js';
import { standardEncoders } from '../../stages/encoders/standard/index.js';
import { CsvSink } from '../../stages/sinks/csv/index.js';
import type { EmbedSpec } from '../../stages/sinks/vectors/index.js';
import type { Io } from './main.js';
import { projectDir, type DbTarget } from './database.js';
import { untouchedOf } from './schema.js';

export interface SinkFlags {
  skipDb?: boolean;
  skipCsv?: boolean;
  skipS3?: boolean;
  skipVectors?: boolean;
  out?: string;
  gzip?: boolean;
  mode: 'replace' | 'append' | 'missing' | 'shard';
  yes?: boolean;
  createTables?: boolean;
  /** `--schema`: the schema of tables without their own (already applied to the dataset). */
  schema?: string;
  tablePrefix?: string;
  /** `--copy-format`: auto (default), text or binary. */
  copyFormat?: 'auto' | 'text' | 'binary';
  /** `--no-fast-path` sets it false. */
  fastPath?: boolean;
  s3?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3CreateBucket?: boolean;
  s3PartSize?: number;
  s3QueueSize?: number;
  s3Sse?: 'AES256' | 'aws:kms';
  /** Generation folder time `yyyymmdd_hhmmss` shared by every shard of a run (default: the run's start). */
  s3Generation?: string;
  s3SseKmsKeyId?: string;
  vectors?: string;
  embedder: string;
  embeddingDimensions?: number;
  /** --embedding-cache / --no-embedding-cache; unset: on for paid providers, off for the local embedder. */
  embeddingCache?: boolean;
  embeddingCacheDir?: string;
  vectorConcurrency?: number;
  /** Seconds: connecting to the database (default 10). */
  dbConnectTimeout?: number;
  /** Seconds one statement may run (0: no limit, the default). */
  dbStatementTimeout?: number;
  /** Seconds an S3 request may go without an answer (default 120). */
  s3Timeout?: number;
  /** Seconds one embedding or upsert request may take (default 60). */
  vectorsTimeout?: number;
  logFile?: string;
  confirmProduction?: boolean;
  only?: readonly string[];
}

/** Idle transactions end on the server after this long (a frozen or stopped seedpipe holds no locks forever). */
export const IDLE_IN_TRANSACTION_MS = 10 * 60_000;

function dbTimeouts(flags: Pick<SinkFlags, 'dbConnectTimeout' | 'dbStatementTimeout'>): { connectTimeoutMs: number; queryTimeoutMs?: number } {
  const statement = (flags.dbStatementTimeout ?? 0) * 1000;
  // The client gives up a little after the server would have: a frozen server cannot cancel anything.
  return { connectTimeoutMs: (flags.dbConnectTimeout ?? 10) * 1000, ...(statement > 0 ? { queryTimeoutMs: statement + 5_000 } : {}) };
}

async function sessionTimeouts(client: { query(text: string): Promise<unknown> }, flags: Pick<SinkFlags, 'dbStatementTimeout'>): Promise<void> {
  await client.query(`SET idle_in_transaction_session_timeout = ${IDLE_IN_TRANSACTION_MS}`);
  if (flags.dbStatementTimeout) await client.query(`SET statement_timeout = ${flags.dbStatementTimeout * 1000}`);
}

/**
 * How every database connection of a command is opened: `--db-connect-timeout` bounds connecting,
 * `--db-statement-timeout` each statement (on the server, and a little later on the client for a
 * server too frozen to cancel), idle transactions end on the server.
 */
export async function connectWithTimeouts(url: string, flags: Pick<SinkFlags, 'dbConnectTimeout' | 'dbStatementTimeout'>, applicationName?: string) {
  const { connectPg } = await import('../../stages/sinks/postgres/index.js');
  const client = await connectPg(url, { ...dbTimeouts(flags), ...(applicationName ? { applicationName } : {}) });
  try {
    await sessionTimeouts(client, flags);
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  return client;
}

/** The database timeout flags (run, prepare, finalize). */
export function addDbTimeoutFlags(cmd: Command): Command {
  return cmd
    .option('--db-connect-timeout <seconds>', 'give up connecting to the database after this long (1–3,600; default 10)', intIn(1, 3600))
    .option('--db-statement-timeout <seconds>', 'longest one statement (a COPY, an index build) may run (0–604,800; default 0: no limit)', intIn(0, 604_800));
}

/** Flags of the timeouts of every target (run). */
export function addTimeoutFlags(cmd: Command): Command {
  return addDbTimeoutFlags(cmd)
    .option('--s3-timeout <seconds>', 'give up an S3 request that gets no answer for this long (1–3,600; default 120)', intIn(1, 3600))
    .option('--vectors-timeout <seconds>', 'give up an embedding or upsert request after this long (1–3,600; default 60)', intIn(1, 3600));
}

export function s3Connection(flags: Pick<SinkFlags, 's3Endpoint' | 's3Region' | 's3Timeout'>, io: Io) {
  const endpoint = flags.s3Endpoint ?? io.env.AWS_ENDPOINT_URL_S3 ?? io.env.AWS_ENDPOINT_URL;
  const region = flags.s3Region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(flags.s3Timeout ? { socketIdleTimeoutMs: flags.s3Timeout * 1000 } : {}),
    region,
    ...(io.env.AWS_CA_BUNDLE && !(endpoint ?? '').startsWith('http://') ? { caBundle: io.env.AWS_CA_BUNDLE } : {}),
  };
}

/** `yyyymmdd_hhmmss` (UTC) → Date, for a generation folder shared by shards. */
export function generationTime(s: string): Date {
  const m = /^(?:generation_)?(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw usageError('S3_GENERATION_INVALID', `--s3-generation ${s}: expected yyyymmdd_hhmmss (UTC), e.g. 20250601_000000`);
  return d;
}

export function embedSpecs(def: DatasetDef): Map<string, EmbedSpec> {
  const m = new Map<string, EmbedSpec>();
  for (const [name, t] of Object.entries(def.tables)) if (t.embed) m.set(name, t.embed);
  return m;
}

export async function confirmOnTty(io: Io, question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !io.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Run journals of vector indexes without a directory of their own (Pinecone): `.seedpipe/vectors`. */
export function vectorStateDir(io: Io): string {
  return join(projectDir(io), '.seedpipe', 'vectors');
}

/**
 * fetch with one bound per request (a vector index that accepts and never answers). A timed-out
 * request is not retried: the error names the flag that sets the bound.
 */
export function boundedFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (e) {
      if (!timeout.aborted || init?.signal?.aborted) throw e;
      const host = new URL(input instanceof Request ? input.url : String(input)).host;
      throw new SeedpipeError('VECTORS_TIMEOUT', `The vector index at ${host} did not answer within ${timeoutMs / 1000} s. Check that it is up, or raise --vectors-timeout.`, { disposition: 'retriable', data: { host, timeoutMs }, cause: e });
    }
  };
}

/** The vector sink of `--vectors`: embedder (`--embedder`, cached unless `--no-embedding-cache`) and index. */
export async function vectorSink(flags: Pick<SinkFlags, 'embedder' | 'embeddingDimensions' | 'embeddingCache' | 'embeddingCacheDir' | 'vectorConcurrency' | 'vectorsTimeout'> & { vectors: string }, io: Io, specs: Map<string, EmbedSpec>, warn: (m: string) => void): Promise<Sink> {
  const { VectorSink, makeEmbedder, vectorTarget, cachedEmbedder } = await import('../../stages/sinks/vectors/index.js');
  const base = makeEmbedder(flags.embedder, {
    ...(io.env.OPENAI_API_KEY ? { apiKey: io.env.OPENAI_API_KEY } : {}),
    ...(io.env.OPENAI_BASE_URL ? { baseURL: io.env.OPENAI_BASE_URL } : {}),
    ...(flags.embeddingDimensions ? { dimensions: flags.embeddingDimensions } : {}),
    ...(flags.vectorsTimeout ? { timeoutMs: flags.vectorsTimeout * 1000 } : {}),
  });
  // The cache saves money and time against a paid provider; the local embedder is free and faster
  // than reading its cache (one file per text), so it caches only when asked.
  const cache = flags.embeddingCache ?? flags.embedder !== 'local';
  const embedder = cache ? cachedEmbedder(base, flags.embeddingCacheDir ?? join(projectDir(io), '.seedpipe', 'embeddings')) : base;
  const bounded = boundedFetch((flags.vectorsTimeout ?? 60) * 1000);
  const index = vectorTarget(flags.vectors, io.env, { cwd: io.cwd, warn, fetch: bounded, stateDir: vectorStateDir(io) });
  return new VectorSink({ embedder, index, specs, warn, ...(flags.vectorConcurrency ? { concurrency: flags.vectorConcurrency } : {}) });
}

/** The embedder and vector flags `run` and `export` share (`--vectors` itself each command words its own way). */
export function addVectorFlags(cmd: Command): Command {
  return cmd
    .option('--embedder <spec>', 'local or openai:<model>', 'local')
    .option('--embedding-dimensions <n>', 'embedding size (1–20,000)', intIn(1, 20_000))
    .option('--embedding-cache', 'cache embeddings on disk (default: on for openai:<model>, off for the free local embedder)')
    .option('--no-embedding-cache', 'do not cache embeddings on disk')
    .option('--embedding-cache-dir <dir>', 'embedding cache directory (default .seedpipe/embeddings)')
    .option('--vector-concurrency <n>', 'embed+upsert batches in flight (1–64)', intIn(1, 64));
}

/** Every encoding the run's sinks may ask for. */
export function runEncoders(): Encoder[] {
  return standardEncoders();
}

/**
 * The sinks of a run. SDKs are imported only when their sink is used: the AWS, OpenAI, Pinecone
 * and LanceDB clients together cost more memory than a CSV-only run needs in all.
 */
export async function buildSinks(def: DatasetDef, flags: SinkFlags, io: Io, db: DbTarget | undefined, warn: (m: string) => void): Promise<{ sinks: Sink[]; names: string[] }> {
  const sinks: Sink[] = [];
  if (db && flags.mode === 'shard') {
    const { ShardLoadSink } = await import('../../stages/sinks/postgres/index.js');
    sinks.push(new ShardLoadSink({ url: db.url, schema: def.schema ?? 'public', confirmProduction: flags.confirmProduction === true, connect: (url) => connectWithTimeouts(url, flags) }));
  } else if (db) {
    const mode = flags.mode as 'replace' | 'append' | 'missing';
    const { PostgresSink, audited } = await import('../../stages/sinks/postgres/index.js');
    const logFile = flags.logFile;
    sinks.push(
      new PostgresSink({
        url: db.url,
        mode,
        schema: def.schema ?? 'public',
        untouched: untouchedOf(def),
        ...(flags.fastPath === false ? { dropConstraints: false } : {}),
        ...(flags.copyFormat ? { copyFormat: flags.copyFormat } : {}),
        connect: async (url: string) => {
          const client = await connectWithTimeouts(url, flags);
          return logFile ? audited(client, logFile) : client;
        },
        confirmProduction: flags.confirmProduction === true,
        notice: (l) => io.err(`seedpipe: ${l}\n`),
        // The embedded database gets the dataset's tables created, except for a partial run (--only),
        // which regenerates tables that exist and keeps the others.
        createTables: flags.createTables === true || (db.embedded && !flags.only),
        // The embedded database is seedpipe's own scratch database: replacing its tables needs no prompt.
        yes: flags.yes === true || db.embedded,
        confirm: (tables) => confirmOnTty(io, `Replace the contents of ${tables.length} table(s) (${tables.slice(0, 6).join(', ')}${tables.length > 6 ? ', …' : ''}) in ${db.display}?`),
      }),
    );
  }
  if (flags.vectors && !flags.skipVectors) {
    const specs = embedSpecs(def);
    if (specs.size === 0) throw usageError('VECTORS_NO_EMBED', `dataset ${def.name} declares no embed text on any table; add embed: { text: (row) => … } to a table`);
    sinks.push(await vectorSink(flags as SinkFlags & { vectors: string }, io, specs, warn));
  }
  if (flags.s3 && !flags.skipS3) {
    const { S3Sink } = await import('../../stages/sinks/s3/index.js');
    sinks.push(
      new S3Sink({
        url: flags.s3,
        notice: (l) => io.err(`seedpipe: ${l}\n`),
        ...s3Connection(flags, io),
        ...(flags.s3PartSize ? { partSizeBytes: flags.s3PartSize } : {}),
        ...(flags.s3QueueSize ? { queueSize: flags.s3QueueSize } : {}),
        ...(flags.gzip ? { gzip: true } : {}),
        ...(flags.s3Sse ? { sse: flags.s3Sse } : {}),
        ...(flags.s3SseKmsKeyId ? { sseKmsKeyId: flags.s3SseKmsKeyId } : {}),
        ...(flags.s3CreateBucket ? { createBucket: true } : {}),
        ...(flags.s3Generation ? { now: generationTime(flags.s3Generation) } : {}),
      }),
    );
  }
  if (!flags.skipCsv) sinks.push(new CsvSink({ dir: flags.out!, ...(flags.gzip ? { gzip: true } : {}), notice: (l) => io.err(`seedpipe: ${l}\n`) }));
  return { sinks, names: sinks.map((s) => s.name) };
}
