/**
 * Scale-out as a scheduler runs it: prepare → 4 shard processes in parallel (two of them taking
 * their index from JOB_COMPLETION_INDEX / AWS_BATCH_JOB_ARRAY_INDEX) → finalize equals one run:
 * the same database content (a hash per table) and the same S3 bytes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { runCli } from '../support/cli.js';
import { startTestEmbedded, type TestPostgres } from '../support/postgres.js';
import { startTestS3, testS3Client, type TestS3 } from '../support/s3.js';

const SMALL = ['--profile', 'light', '--scale', '0.3', '--set', 'messagesPerChannel=60'];
const TABLES = ['users', 'reactions', 'channels', 'user_channels', 'messages', 'message_reactions'];
const GEN = '20250101_000000';

let db: TestPostgres;
let s3: TestS3;
before(async () => {
  [db, s3] = await Promise.all([startTestEmbedded(), startTestS3()]);
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query('CREATE DATABASE single');
  await c.query('CREATE DATABASE sharded');
  await c.end();
});
after(async () => {
  await Promise.all([db?.stop(), s3?.stop()]);
});

const urlOf = (name: string) => db.url.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
const env = () => ({ AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_CA_BUNDLE: undefined });

async function tableHashes(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, string> = {};
    for (const t of TABLES) out[t] = String((await c.query(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS h FROM ${t} t`)).rows[0].h);
    out.constraints = String((await c.query(`SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conname) AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace`)).rows[0].d);
    out.indexes = String((await c.query(`SELECT string_agg(indexname, ',' ORDER BY indexname) AS d FROM pg_indexes WHERE schemaname = 'public'`)).rows[0].d);
    return out;
  } finally {
    await c.end();
  }
}

async function object(bucket: string, key: string): Promise<Buffer> {
  return Buffer.from(await (await testS3Client(s3).send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
}

test('4 parallel shards + finalize = one run, in the database and in S3', async () => {
  const single = await runCli(['run', 'chat', ...SMALL, '--db', urlOf('single'), '--create-tables', '--yes', '--skip-csv', '--s3', 's3://shards/single', '--s3-create-bucket', '--s3-generation', GEN, '--quiet'], { env: env() });
  assert.equal(single.code, 0, single.stderr);

  const prep = await runCli(['prepare', 'chat', ...SMALL, '--db', urlOf('sharded'), '--create-tables', '--yes'], { env: env() });
  assert.equal(prep.code, 0, prep.stderr);
  const shardArgs = ['run', 'chat', ...SMALL, '--db', urlOf('sharded'), '--mode', 'shard', '--skip-csv', '--s3', 's3://shards/sharded', '--s3-generation', GEN, '--quiet'];
  const shards = await Promise.all([
    runCli([...shardArgs, '--shard', '0/4'], { env: env() }),
    runCli([...shardArgs, '--shard', '1/4'], { env: env() }),
    runCli([...shardArgs, '--shards', '4'], { env: { ...env(), JOB_COMPLETION_INDEX: '2' } }),
    runCli([...shardArgs, '--shards', '4'], { env: { ...env(), AWS_BATCH_JOB_ARRAY_INDEX: '3' } }),
  ]);
  shards.forEach((r, k) => assert.equal(r.code, 0, `shard ${k}: ${r.stderr}`));
  const fin = await runCli(['finalize', 'chat', ...SMALL, '--db', urlOf('sharded'), '--shards', '4', '--s3', 's3://shards/sharded', '--s3-generation', GEN], { env: env() });
  assert.equal(fin.code, 0, fin.stderr);

  assert.deepEqual(await tableHashes(urlOf('sharded')), await tableHashes(urlOf('single')));
  const valid = await runCli(['validate', 'chat', ...SMALL, '--db', urlOf('sharded')]);
  assert.equal(valid.code, 0, valid.stdout + valid.stderr);

  // S3: each table's part files, headers dropped after the first, are the single run's object.
  for (const t of TABLES) {
    const whole = await object('shards', `single/generation_${GEN}/${t}.csv`);
    const parts = await Promise.all([0, 1, 2, 3].map((k) => object('shards', `sharded/generation_${GEN}/${t}.part-${k}-of-4.csv`).catch(() => object('shards', `sharded/generation_${GEN}/${t}.part-0${k}-of-04.csv`))));
    const header = whole.subarray(0, whole.indexOf(10) + 1);
    const body = Buffer.concat(parts.map((p) => p.subarray(p.indexOf(10) + 1)));
    assert.deepEqual(Buffer.concat([header, body]), whole, t);
  }
  const listed = await testS3Client(s3).send(new ListObjectsV2Command({ Bucket: 'shards', Prefix: `sharded/generation_${GEN}/manifest.json` }));
  assert.equal(listed.KeyCount, 1, 'finalize wrote the manifest');
  const verified = await runCli(['verify', `s3://shards/sharded/generation_${GEN}/`], { env: env() });
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
});

test('a shard before prepare, and finalize with a missing shard, fail clearly', async () => {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query('CREATE DATABASE unprepared');
  await c.end();
  const r = await runCli(['run', 'chat', ...SMALL, '--db', urlOf('unprepared'), '--mode', 'shard', '--shard', '0/2', '--skip-csv', '--quiet']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /SHARDS_NOT_PREPARED/);
  const prep = await runCli(['prepare', 'chat', ...SMALL, '--db', urlOf('unprepared'), '--create-tables', '--yes']);
  assert.equal(prep.code, 0, prep.stderr);
  assert.equal((await runCli(['run', 'chat', ...SMALL, '--db', urlOf('unprepared'), '--mode', 'shard', '--shard', '1/2', '--skip-csv', '--quiet'])).code, 0);
  const fin = await runCli(['finalize', 'chat', ...SMALL, '--db', urlOf('unprepared'), '--shards', '2']);
  assert.equal(fin.code, 1, fin.stderr);
  assert.match(fin.stderr, /CONSTRAINT_VIOLATION/);
});
