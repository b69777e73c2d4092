/**
 * Fault injection: `seedpipe run` into the embedded database + CSV files + S3 (Ceph RGW), killed with
 * SIGINT, SIGTERM and SIGKILL during the load and during the post-load (keys, indexes), sent to the
 * process that was launched (the heap-flag wrapper) or to the CLI process under it. After each: the
 * exit status a scheduler expects, no rows of the run, no temporary files, no multipart uploads, and
 * after the next run no generation folder without a manifest; the embedded database keeps working.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import pg from 'pg';
import { runCli } from '../support/cli.js';
import { runAndKill as killRun, waitGone, type Killed } from '../support/kill.js';
import { startTestS3, testS3Client, type TestS3 } from '../support/s3.js';
import { stopEmbedded } from '../../src/db/embedded.js';

const BUCKET = 'seed-faults';
let s3: TestS3;
let project: string;
let out: string;

before(async () => {
  s3 = await startTestS3();
  await testS3Client(s3).send(new CreateBucketCommand({ Bucket: BUCKET }));
  // The CLI's own embedded database lives under the project; the postgres user must reach it.
  project = await mkdtemp(join(tmpdir(), 'sp-faults-'));
  await chmod(project, 0o755);
  out = join(project, 'out');
});
after(async () => {
  if (project) await stopEmbedded(join(project, '.seedpipe', 'postgres')).catch(() => undefined);
  await s3?.stop();
  if (project) await rm(project, { recursive: true, force: true });
});

function env(): Record<string, string | undefined> {
  const e: Record<string, string | undefined> = { DATABASE_URL: undefined, AWS_CA_BUNDLE: undefined, AWS_PROFILE: undefined };
  for (const k of Object.keys(process.env)) if (k.startsWith('PG')) e[k] = undefined;
  return { ...e, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint };
}

/** Big enough that messages.csv (~25 MB) is a multipart upload still open while it loads. */
const RUN = ['run', 'chat', '--profile', 'light', '--scale', '10', '--heartbeat', '0', '--out', '', '--s3', '', '--s3-part-size', '5MiB'];
const args = (prefix: string): string[] => RUN.map((a, i) => (RUN[i - 1] === '--out' ? out : RUN[i - 1] === '--s3' ? `s3://${BUCKET}/${prefix}` : a));

/** A run of this suite's target (`prefix` under the bucket), interrupted as `test/support/kill.ts` does. */
function runAndKill(prefix: string, when: RegExp, signal: NodeJS.Signals, to: 'wrapper' | 'cli', afterMs = 0): Promise<Killed> {
  return killRun({ args: args(prefix), cwd: project, env: env(), when, signal, to, afterMs });
}

async function databaseUrl(): Promise<string> {
  const r = await runCli(['db', 'url', '--database', 'chat'], { cwd: project, env: env() });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** Rows in the dataset's tables (0 when they do not exist). */
async function rows(): Promise<number> {
  const c = new pg.Client({ connectionString: await databaseUrl() });
  await c.connect();
  try {
    let n = 0;
    for (const t of ['users', 'channels', 'messages', 'message_reactions']) {
      const exists = (await c.query(`SELECT to_regclass($1) AS r`, [`public.${t}`])).rows[0].r;
      if (exists) n += Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    }
    return n;
  } finally {
    await c.end();
  }
}

async function tempFiles(): Promise<string[]> {
  return (await readdir(out, { recursive: true }).catch(() => [] as string[])).filter((f) => /\.tmp-\d+$/.test(f));
}

async function uploads(prefix: string): Promise<string[]> {
  const r = await testS3Client(s3).send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return (r.Uploads ?? []).map((u) => u.Key!);
}

async function objects(prefix: string): Promise<string[]> {
  const r = await testS3Client(s3).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key!);
}

/** Generation folders under the prefix that have no manifest.json. */
async function withoutManifest(prefix: string): Promise<string[]> {
  const keys = await objects(prefix);
  const folders = new Set(keys.map((k) => k.slice(0, k.indexOf('/', prefix.length + 1) + 1)));
  return [...folders].filter((f) => !keys.includes(`${f}manifest.json`));
}

async function assertNothingLeft(prefix: string, how: string): Promise<void> {
  assert.equal(await rows(), 0, `${how}: no rows`);
  assert.deepEqual(await tempFiles(), [], `${how}: no temporary files`);
  assert.deepEqual(await uploads(prefix), [], `${how}: no multipart uploads`);
  assert.deepEqual(await objects(prefix), [], `${how}: no objects`);
}

const LOADING = /^channels: /m; // users and channels are in; user_channels and messages are loading
const POST_LOAD = /^message_reactions: [\d,.]+ rows/m; // every row is sent; the last tables' keys, indexes and foreign keys are being built

test('SIGINT to the launched process during the load: exit 130, one line saying what was undone, nothing left', async () => {
  const r = await runAndKill('int-load/', LOADING, 'SIGINT', 'wrapper', 1500);
  assert.equal(r.code, 130, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => /interrupted/.test(l));
  assert.equal(lines.length, 1, r.stderr);
  for (const undone of [/rolled back the transaction/, /removed \d+ unfinished file\(s\) in /, /aborted \d+ multipart upload\(s\) and deleted \d+ object\(s\) under s3:/]) assert.match(lines[0]!, undone);
  await waitGone(r.cli);
  await assertNothingLeft('int-load/', 'SIGINT');
});

test('SIGTERM to the CLI process while keys and indexes are built: exit 143, rolled back, nothing left', async () => {
  const r = await runAndKill('term-post/', POST_LOAD, 'SIGTERM', 'cli');
  assert.equal(r.code, 143, r.stderr);
  assert.match(r.stderr, /interrupted by SIGTERM: rolled back/);
  await assertNothingLeft('term-post/', 'SIGTERM');
});

test('SIGKILL of the launched process: the CLI under it stops and undoes its run by itself', async () => {
  const r = await runAndKill('kill-wrapper/', LOADING, 'SIGKILL', 'wrapper', 500);
  assert.equal(r.signal, 'SIGKILL');
  await waitGone(r.cli);
  await assertNothingLeft('kill-wrapper/', 'SIGKILL of the wrapper');
});

test('SIGKILL of the CLI process: nothing committed; the next run removes the temporary files, uploads and the folder without a manifest', async () => {
  const r = await runAndKill('kill-cli/', LOADING, 'SIGKILL', 'cli', 1500);
  assert.equal(r.code, 137, r.stderr);
  assert.ok((await tempFiles()).length > 0, 'a killed process cannot remove its temporary files');
  assert.equal((await withoutManifest('kill-cli/')).length, 1, 'one unfinished generation');
  // The server rolls back a transaction whose connection died (give it a moment to notice).
  for (let i = 0; i < 100 && (await rows()) !== 0; i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal(await rows(), 0);

  const next = await runCli([...args('kill-cli/'), '--scale', '0.1'], { cwd: project, env: env() });
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /removed .*\.tmp-\d+/);
  assert.match(next.stderr, /removed s3:\/\/seed-faults\/kill-cli\/generation_\d{8}_\d{6}\/: \d+ object\(s\)/);
  assert.deepEqual(await tempFiles(), []);
  assert.deepEqual(await uploads('kill-cli/'), []);
  assert.deepEqual(await withoutManifest('kill-cli/'), [], 'every generation left has a manifest');
  assert.ok((await rows()) > 0, 'the embedded database still starts and loads');
});
