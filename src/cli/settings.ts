/**
 * Before a command runs: find the config file, load `.env`, then give each option no flag set its
 * value from the environment or the config file. One order for every setting:
 *
 *   flag  >  environment (`.env` included)  >  seedpipe.config.*  >  built-in default
 *
 * Options whose environment variable the command reads itself (`--db` ← DATABASE_URL, the S3
 * endpoint and region) keep it above the config file: the file's value is used only when the
 * variable is unset.
 */
import type { Command } from 'commander';
import { usageError } from '../errors.js';
import { findConfig, loadConfig, withDotEnv, type SeedpipeConfig } from './config.js';
import type { Io } from './main.js';
import { partSizeArg } from './options.js';

interface Mapping {
  /** The option's attribute name (`s3Endpoint` for `--s3-endpoint`). */
  option: string;
  from: (c: SeedpipeConfig) => unknown;
  /** Variables that win over the config file for this option. */
  env?: readonly string[];
  parse?: (v: unknown) => unknown;
}

const MAPPINGS: readonly Mapping[] = [
  { option: 'profile', from: (c) => c.profile },
  { option: 'schema', from: (c) => c.db?.schema },
  { option: 'out', from: (c) => c.out },
  { option: 's3', from: (c) => c.s3?.url },
  { option: 's3Endpoint', from: (c) => c.s3?.endpoint, env: ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'] },
  { option: 's3Region', from: (c) => c.s3?.region, env: ['AWS_REGION', 'AWS_DEFAULT_REGION'] },
  { option: 's3PartSize', from: (c) => c.s3?.partSize, parse: (v) => (typeof v === 'number' ? partSizeArg(`${v}`) : partSizeArg(String(v))) },
  { option: 's3QueueSize', from: (c) => c.s3?.queueSize },
  { option: 's3Sse', from: (c) => c.s3?.sse },
  { option: 's3SseKmsKeyId', from: (c) => c.s3?.sseKmsKeyId },
  { option: 's3CreateBucket', from: (c) => c.s3?.createBucket },
  { option: 'vectors', from: (c) => c.vectors?.url },
  { option: 'embedder', from: (c) => c.vectors?.embedder },
  { option: 'embeddingDimensions', from: (c) => c.vectors?.dimensions },
  { option: 'embeddingCache', from: (c) => c.vectors?.cache },
  { option: 'embeddingCacheDir', from: (c) => c.vectors?.cacheDir },
  { option: 'vectorConcurrency', from: (c) => c.vectors?.concurrency },
];

export async function applyProjectSettings(io: Io, cmd: Command): Promise<void> {
  const explicit = cmd.getOptionValue('config') as string | undefined;
  const file = findConfig(io.cwd, explicit);
  if (file) {
    const loaded = await loadConfig(file);
    io.config = loaded.config;
    io.configFile = loaded.file;
    io.projectDir = loaded.dir;
  }
  io.env = withDotEnv(io.env, io.projectDir ?? io.cwd).env;
  const config = io.config;
  if (!config) return;
  const defined = new Set(cmd.options.map((o) => o.attributeName()));
  for (const m of MAPPINGS) {
    if (!defined.has(m.option)) continue;
    const source = cmd.getOptionValueSource(m.option);
    if (source !== undefined && source !== 'default') continue;
    if (m.env?.some((v) => io.env[v])) continue;
    const value = m.from(config);
    if (value === undefined) continue;
    try {
      cmd.setOptionValueWithSource(m.option, m.parse ? m.parse(value) : value, 'config');
    } catch (e) {
      throw usageError('CONFIG_INVALID', `${io.configFile}: ${m.option}: ${(e as Error).message}`);
    }
  }
}

/** The dataset of a command: the argument, else the config file's `dataset`. */
export function datasetOf(io: Io, given: string | undefined): string {
  const d = given ?? io.config?.dataset;
  if (d === undefined) {
    throw usageError('DATASET_MISSING', `no dataset given: pass a built-in name (e.g. chat) or a dataset path, or set "dataset" in seedpipe.config.ts (seedpipe init writes one)`);
  }
  return d;
}
