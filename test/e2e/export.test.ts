/**
 * `seedpipe export` and `seedpipe copy` as a user runs them, against a loaded chat database
 * (embedded PostgreSQL 18): CSV and S3 (Ceph RGW) exports whose rows equal count(*) and that
 * `verify` accepts, a folder copied back into a database, a masked export, vectors of real rows in LanceDB, and `copy --mask` into two
 * other databases: no source email, name or message text in any text column, every foreign key
 * joins, and the two targets are identical.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunInfo, loadDataset, makePlan } from '../../src/index.js';
import { LanceDbIndex } from '../../stages/sinks/vectors/index.js';
import { PostgresSink, renderDdl } from '../../stages/sinks/postgres/index.js';
import { runCli } from '../support/cli.js';
import { runPlan } from '../support/pipeline.js';
import { sqlRows, startTestEmbedded, type TestPostgres } from '../support/postgres.js';
import { startTestS3, type TestS3 } from '../support/s3.js';

let src: TestPostgres;
let dst: TestPostgres;
let s3: TestS3;
let out: string;
const KEY = 'e2e-masking-key-0123456789';

const q = sqlRows;

before(async () => {
  [src, dst, s3] = await Promise.all([startTestEmbedded(), startTestEmbedded(), startTestS3()]);
  out = await mkdtemp(join(tmpdir(), 'sp-export-'));
  const { def } = await loadDataset('chat');
  const plan = makePlan(def, { profile: 'light', scale: 0.3 });
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [new PostgresSink({ url: src.url, createTables: true, yes: true })] });
  // Two targets with the application's schema (as its migrations would make it).
  const ddl = renderDdl(plan.tables.map((t) => t.info));
  for (const db of ['copy_a', 'copy_b', 'from_files']) {
    await q(dst.url, `CREATE DATABASE ${db}`);
    await q(dbUrl(db), ddl);
  }
});
after(async () => {
  await Promise.all([src?.stop(), dst?.stop(), s3?.stop()]);
  await rm(out, { recursive: true, force: true });
});

const dbUrl = (name: string): string => {
  const u = new URL(dst.url);
  u.pathname = `/${name}`;
  return u.toString();
};
const s3env = () => ({ AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_CA_BUNDLE: undefined, AWS_PROFILE: undefined });
const TABLES = ['reactions', 'users', 'channels', 'messages', 'user_channels', 'message_reactions'];

async function counts(url: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await q<{ n: string }>(url, `SELECT count(*) AS n FROM ${t}`))[0]!.n);
  return out;
}

test('export --out: one file per table with count(*) rows, a manifest verify accepts, and the password never printed', async () => {
  const r = await runCli(['export', '--db', src.url, '--out', join(out, 'csv'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const password = new URL(src.url).password;
  assert.ok(password && !r.stdout.includes(password) && !r.stderr.includes(password));
  const manifest = JSON.parse(await readFile(join(out, 'csv', 'manifest.json'), 'utf8')) as { files: { table: string; rows: number }[] };
  const expected = await counts(src.url);
  assert.deepEqual(Object.fromEntries(manifest.files.map((f) => [f.table, f.rows])), expected);
  const v = await runCli(['verify', join(out, 'csv'), '--json']);
  assert.equal(v.code, 0, v.stdout);
});

test('copy --from the exported folder loads it into a database: count(*) equal, keys rebuilt', async () => {
  const r = await runCli(['copy', '--from', join(out, 'csv'), '--to', dbUrl('from_files'), '--yes', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await counts(dbUrl('from_files')), await counts(src.url));
  const same = await q<{ n: string }>(dbUrl('from_files'), `SELECT count(*) AS n FROM messages WHERE created_at > updated_at`);
  assert.equal(Number(same[0]!.n), 0);
});

test('export --s3 to a real S3 implementation: count(*) rows, verify passes; parquet too', async () => {
  for (const format of ['csv', 'parquet']) {
    const r = await runCli(['export', '--db', src.url, '--s3', `s3://exports/chat-${format}`, '--s3-create-bucket', '--format', format, '--json'], { env: s3env() });
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { sinks: { sink: string; location: string; tables: { table: string; rows: number }[] }[] };
    const s3sink = summary.sinks.find((s) => s.sink === 's3')!;
    assert.deepEqual(Object.fromEntries(s3sink.tables.map((t) => [t.table, t.rows])), await counts(src.url));
    const v = await runCli(['verify', s3sink.location, '--json'], { env: s3env() });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.ok((JSON.parse(v.stdout) as { files: { file: string }[] }).files.every((f) => f.file.endsWith(`.${format}`)));
  }
});

test('a masked export (JSON Lines): no source email, name or message text in any file; without a key it refuses', async () => {
  const refused = await runCli(['export', '--db', src.url, '--out', join(out, 'nokey'), '--mask'], { env: { SEEDPIPE_MASK_KEY: undefined } });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /MASK_KEY_INVALID/);
  const r = await runCli(['export', '--db', src.url, '--out', join(out, 'masked'), '--format', 'jsonl', '--mask', '--quiet'], { env: { SEEDPIPE_MASK_KEY: KEY } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await runCli(['verify', join(out, 'masked')])).code, 0);
  let all = '';
  for (const f of await readdir(join(out, 'masked'))) all += await readFile(join(out, 'masked', f), 'utf8');
  const secrets = (await q<{ v: string }>(src.url, `SELECT email AS v FROM users UNION SELECT name FROM users UNION SELECT content FROM messages`)).map((x) => x.v);
  assert.ok(secrets.length > 100);
  const leaked = secrets.filter((s) => all.includes(JSON.stringify(s)));
  assert.deepEqual(leaked, []);
});

test('export --vectors lancedb:// embeds real rows: one vector per row of each table asked for', async () => {
  const dir = join(out, 'lance');
  const r = await runCli(['export', '--db', src.url, '--tables', 'channels,messages', '--vectors', `lancedb://${dir}`, '--embed', 'messages={content}', '--embed', 'channels={name}: {description}', '--no-embedding-cache', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const index = new LanceDbIndex({ dir });
  const c = await counts(src.url);
  assert.equal(await index.count('messages'), c.messages);
  assert.equal(await index.count('channels'), c.channels);
});

test('copy --mask into two databases: no personal value survives in any text column, every foreign key joins, both targets identical', async () => {
  for (const db of ['copy_a', 'copy_b']) {
    const r = await runCli(['copy', '--from', src.url, '--to', dbUrl(db), '--mask', '--yes', '--quiet'], { env: { SEEDPIPE_MASK_KEY: KEY } });
    assert.equal(r.code, 0, r.stderr);
  }
  const a = dbUrl('copy_a');
  assert.deepEqual(await counts(a), await counts(src.url));
  const secrets = new Set((await q<{ v: string }>(src.url, `SELECT email AS v FROM users UNION SELECT name FROM users UNION SELECT content FROM messages UNION SELECT bio FROM users WHERE bio IS NOT NULL`)).map((x) => x.v));
  const textColumns = await q<{ t: string; c: string }>(a, `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')`);
  assert.ok(textColumns.length >= 8);
  for (const { t, c } of textColumns) {
    const hits = await q<{ v: string }>(a, `SELECT "${c}" AS v FROM "${t}" WHERE "${c}" = ANY($$${'{' + [...secrets].map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',') + '}'}$$::text[])`);
    assert.deepEqual(hits, [], `${t}.${c} holds source values`);
  }
  const fks = await q<{ child: string; def: string; cols: string; parent: string; refs: string }>(a, `
    SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent,
           (SELECT string_agg(quote_ident(attname), ',' ORDER BY k.o) FROM unnest(conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute ON attrelid = conrelid AND attnum = k.n) AS cols,
           (SELECT string_agg(quote_ident(attname), ',' ORDER BY k.o) FROM unnest(confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute ON attrelid = confrelid AND attnum = k.n) AS refs
      FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`);
  assert.ok(fks.length >= 6);
  for (const f of fks) {
    const orphans = await q<{ n: string }>(a, `SELECT count(*) AS n FROM ${f.child} c WHERE (${f.cols}) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${f.parent} p WHERE (p.${f.refs.split(',').join(', p.')}) = (c.${f.cols.split(',').join(', c.')}))`);
    assert.equal(Number(orphans[0]!.n), 0, `${f.child}(${f.cols}) → ${f.parent}`);
  }
  for (const t of TABLES) {
    const digest = async (url: string) => (await q<{ d: string }>(url, `SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS d FROM ${t} x`))[0]!.d;
    assert.equal(await digest(a), await digest(dbUrl('copy_b')), `${t} identical in both targets`);
  }
  // The masked users still look like users: emails are emails.
  const emails = await q<{ email: string }>(a, 'SELECT email FROM users LIMIT 5');
  assert.ok(emails.every((e) => /^[a-z]+\.[a-z]+\.[0-9a-z]{8}@example\.(com|net|org)$/.test(e.email)));
});

test('a database not on this machine is refused without --confirm-production, and its password never printed', async () => {
  const remote = 'postgres://app:s3cret-pass@db.example.com:5432/prod';
  const e = await runCli(['export', '--db', remote, '--out', join(out, 'remote')]);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /PRODUCTION_NOT_CONFIRMED/);
  const c = await runCli(['copy', '--from', src.url, '--to', remote, '--yes']);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /PRODUCTION_NOT_CONFIRMED/);
  for (const r of [e, c]) assert.ok(!r.stderr.includes('s3cret-pass') && !r.stdout.includes('s3cret-pass'));
});
