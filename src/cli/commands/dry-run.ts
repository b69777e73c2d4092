/**
 * `run --dry-run`: the plan and its estimates, plus every check that can be made without writing
 * anything or contacting a service: the database URL and the production guard, the S3 URL,
 * endpoint, credentials and SDK, the vector target, the embedder and its key, the dataset's embed
 * specs. Problems are listed together; any problem exits 2.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from '../../dataset/load.js';
import { withSchema, withTablePrefix } from '../schema.js';
import type { DatasetDef } from '../../dataset/types.js';
import { isSeedpipeError, redact, usageError } from '../../errors.js';
import { makePlan } from '../../plan/plan.js';
import type { Io } from '../main.js';
import { embeddedDir, projectDir } from '../database.js';
import { embedSpecs, s3Connection } from '../stages.js';
import { printDryRun, type DryRunCheck } from './plan.js';
import { planOptionsOf, type RunFlags } from './run.js';

export async function dryRun(dataset: string, flags: RunFlags, io: Io): Promise<void> {
  const def = withTablePrefix(withSchema((await loadDataset(dataset, io.cwd)).def, flags.schema), flags.tablePrefix);
  const plan = makePlan(def, planOptionsOf(flags, io));
  const out = flags.out ?? join(projectDir(io), 'out', def.name);
  const checks = await runChecks(def, flags, io);
  const sinks = checks.map((c) => c.target);
  if (!flags.skipCsv) sinks.push(`csv → ${out}`);
  const vectors = flags.vectors && !flags.skipVectors && checks.every((c) => c.ok || !c.target.startsWith('vectors')) ? flags.embedder : undefined;
  await printDryRun(plan, { io, json: flags.json === true, sinks, embedder: vectors, checks });
  const failed = checks.filter((c) => !c.ok);
  // With --json the document above already lists the problems: stdout stays one JSON document.
  if (failed.length) throw usageError('DRY_RUN_PROBLEMS', `--dry-run found ${failed.length} problem(s): ${failed.map((c) => c.problem).join('; ')}`, flags.json ? { onStdout: true } : undefined);
}

async function check(target: string, work: () => unknown | Promise<unknown>, io: Io): Promise<DryRunCheck> {
  try {
    await work();
    return { target, ok: true };
  } catch (e) {
    const secrets = [io.env.AWS_SECRET_ACCESS_KEY, io.env.OPENAI_API_KEY, io.env.PINECONE_API_KEY, io.env.PGPASSWORD];
    const msg = isSeedpipeError(e) ? `${e.message} [${e.code}]` : (e as Error).message;
    return { target, ok: false, problem: redact(msg, secrets) };
  }
}

/** Where the AWS SDK would find credentials; none of them means the first request fails. */
function hasAwsCredentials(env: NodeJS.ProcessEnv): boolean {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return true;
  if (env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return true;
  const home = env.HOME ?? homedir();
  return existsSync(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials')) || existsSync(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'));
}

async function runChecks(def: DatasetDef, flags: RunFlags, io: Io): Promise<DryRunCheck[]> {
  const checks: DryRunCheck[] = [];
  if (!flags.skipDb) {
    const given = flags.db ?? io.env.DATABASE_URL ?? io.config?.db?.url;
    if (given === undefined) {
      checks.push({ target: `postgres → database ${def.name} on the embedded Postgres (${embeddedDir(io)}; created on first use), mode ${flags.mode}`, ok: true });
    } else {
      const { assertLocalOrConfirmed, canonicalDatabaseUrl, describeTarget } = await import('../../../stages/sinks/postgres/index.js');
      let shown = 'the given database';
      checks.push(await check(`postgres → ${shown}, mode ${flags.mode}`, () => {
        if (!/^postgres(ql)?:\/\//i.test(given.trim())) throw usageError('DB_URL_INVALID', 'the database URL must start with postgres:// or postgresql://');
        const url = canonicalDatabaseUrl(given, io.env);
        shown = `postgres://${describeTarget(url)}`;
        assertLocalOrConfirmed(url, flags.confirmProduction === true);
      }, io));
      checks[checks.length - 1]!.target = `postgres → ${shown}, mode ${flags.mode}`;
    }
  }
  if (flags.s3 && !flags.skipS3) {
    const url = flags.s3;
    checks.push(await check(`s3 → ${url}`, async () => {
      const { parseS3Url } = await import('../../../stages/sinks/s3/index.js');
      parseS3Url(url);
      const conn = s3Connection(flags, io);
      if (conn.endpoint !== undefined) {
        let u: URL;
        try {
          u = new URL(conn.endpoint);
        } catch {
          throw usageError('S3_BAD_OPTIONS', `S3 endpoint "${conn.endpoint}" is not a URL`);
        }
        if (!/^https?:$/.test(u.protocol)) throw usageError('S3_BAD_OPTIONS', `S3 endpoint "${conn.endpoint}" must start with http:// or https://`);
      }
      if (flags.s3SseKmsKeyId && flags.s3Sse !== 'aws:kms') throw usageError('S3_BAD_OPTIONS', '--s3-sse-kms-key-id needs --s3-sse aws:kms');
      if (!hasAwsCredentials(io.env)) throw usageError('S3_NO_CREDENTIALS', 'no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE for a profile of ~/.aws/credentials)');
      const { assertInstalled } = await import('../../optional.js');
      assertInstalled('S3 export (--s3)', ['@aws-sdk/client-s3', '@aws-sdk/lib-storage']);
    }, io));
  }
  if (flags.vectors && !flags.skipVectors) {
    const target = flags.vectors;
    checks.push(await check(`vectors → ${target.replace(/\?.*$/, '')} (embedder ${flags.embedder})`, async () => {
      if (embedSpecs(def).size === 0) throw usageError('VECTORS_NO_EMBED', `dataset ${def.name} declares no embed text on any table; add embed: { text: (row) => … } to a table`);
      const { makeEmbedder, vectorTarget } = await import('../../../stages/sinks/vectors/index.js');
      // Both only check their arguments here: no request is sent, no directory created.
      makeEmbedder(flags.embedder, {
        ...(io.env.OPENAI_API_KEY ? { apiKey: io.env.OPENAI_API_KEY } : {}),
        ...(io.env.OPENAI_BASE_URL ? { baseURL: io.env.OPENAI_BASE_URL } : {}),
        ...(flags.embeddingDimensions ? { dimensions: flags.embeddingDimensions } : {}),
      });
      vectorTarget(target, io.env, { cwd: io.cwd });
    }, io));
  }
  return checks;
}
