/**
 * Project conventions, through the CLI's entry point in this process: the config file found from
 * the working directory upward (or --config), validated; the order flag > environment (.env
 * included) > config file > default; .env values used and never printed; --dry-run checking every
 * target without writing anything.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main, type Io } from '../../../src/cli/main.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'sp-conventions-'));
  await mkdir(join(root, 'node_modules'), { recursive: true });
  await symlink(REPO, join(root, 'node_modules', 'seedpipe'));
});
after(async () => rm(root, { recursive: true, force: true }));

async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (s) => void (out += s), err: (s) => void (err += s), env: { ...env }, cwd, isTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

interface DryJson { sinks: string[]; checks: { target: string; ok: boolean; problem?: string }[]; profile: string }
const dry = async (cwd: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) => {
  const r = await cli(['run', '--dry-run', '--json', ...args], cwd, env);
  return { ...r, json: r.out ? (JSON.parse(r.out) as DryJson) : undefined };
};

test('a seedpipe.config.ts is found from a subfolder; its dataset, profile, out and db apply; a flag beats the environment beats the file', async () => {
  const project = join(root, 'project');
  await mkdir(join(project, 'src', 'deep'), { recursive: true });
  await writeFile(join(project, 'seedpipe.config.ts'), `import { defineConfig } from 'seedpipe';
export default defineConfig({ dataset: 'chat', profile: 'light', out: 'exports/chat', db: { url: 'postgres://seed@config.example.com:5432/fromconfig' } });
`);
  const sub = join(project, 'src', 'deep');
  const fromFile = await dry(sub);
  assert.equal(fromFile.code, 2, 'a non-local database from the file is refused without --confirm-production');
  assert.equal(fromFile.json!.profile, 'light');
  assert.ok(fromFile.json!.sinks.includes(`csv → ${join(project, 'exports', 'chat')}`), 'out is relative to the config file');
  assert.match(fromFile.json!.checks[0]!.target, /config\.example\.com:5432\/fromconfig/);
  const fromEnv = await dry(sub, [], { DATABASE_URL: 'postgres://u:pw@127.0.0.1:6543/fromenv' });
  assert.equal(fromEnv.code, 0, fromEnv.err);
  assert.match(fromEnv.json!.checks[0]!.target, /127\.0\.0\.1:6543\/fromenv/);
  const fromFlag = await dry(sub, ['--db', 'postgres://u:pw@127.0.0.1:7654/fromflag', '--profile', 'medium', '--out', join(root, 'flag-out')], { DATABASE_URL: 'postgres://u:pw@127.0.0.1:6543/fromenv' });
  assert.equal(fromFlag.code, 0, fromFlag.err);
  assert.match(fromFlag.json!.checks[0]!.target, /7654\/fromflag/);
  assert.equal(fromFlag.json!.profile, 'medium');
  assert.ok(fromFlag.json!.sinks.includes(`csv → ${join(root, 'flag-out')}`));
  // --config names another file; a missing one is a usage error.
  await writeFile(join(root, 'other.json'), JSON.stringify({ dataset: 'scrum', db: { url: 'postgres://127.0.0.1:1/x' } }));
  const other = await cli(['plan', '--json', '--config', join(root, 'other.json')], sub);
  assert.equal(other.code, 0, other.err);
  assert.equal((JSON.parse(other.out) as { dataset: string }).dataset, 'scrum');
  assert.equal((await cli(['plan', '--config', 'nope.json'], sub)).code, 2);
});

test('an invalid config file is refused, naming the field', async () => {
  const bad = join(root, 'bad');
  await mkdir(bad);
  await writeFile(join(bad, 'seedpipe.config.json'), JSON.stringify({ dataset: 'chat', s3: { url: 'http://not-s3', queueSize: 500 }, typo: 1 }));
  const r = await cli(['plan'], bad);
  assert.equal(r.code, 2);
  assert.match(r.err, /CONFIG_INVALID/);
  for (const field of ['s3.url', 's3.queueSize', 'typo']) assert.ok(r.err.includes(field), `${field} named: ${r.err}`);
});

test('.env next to the config: used when the environment has no value, never printed', async () => {
  const p = join(root, 'dotenv');
  await mkdir(p);
  await writeFile(join(p, 'seedpipe.config.mjs'), 'export default { dataset: "chat" };\n');
  await writeFile(join(p, '.env'), '# local settings\nDATABASE_URL=postgres://app:dotenv-secret-pw@127.0.0.1:5999/fromdotenv\nOPENAI_API_KEY=sk-dotenv-secret-key-123\n');
  const r = await dry(p, ['--vectors', `lancedb://${join(p, 'vec')}`, '--embedder', 'openai:text-embedding-3-small']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.json!.checks[0]!.target, /5999\/fromdotenv/);
  assert.ok(r.json!.checks.every((c) => c.ok), 'the key from .env satisfies the embedder');
  const envWins = await dry(p, [], { DATABASE_URL: 'postgres://127.0.0.1:5998/fromenv' });
  assert.match(envWins.json!.checks[0]!.target, /5998\/fromenv/);
  for (const text of [r.out, r.err, envWins.out, envWins.err]) {
    assert.ok(!text.includes('dotenv-secret-pw') && !text.includes('sk-dotenv-secret-key-123'), 'no secret of .env printed');
  }
  assert.equal(existsSync(join(p, 'vec')), false, 'a dry run writes nothing');
});

test('--dry-run checks S3, vector and embedder arguments without writing, and lists every problem', async () => {
  const p = join(root, 'dry');
  await mkdir(p);
  const base = ['run', 'chat', '--dry-run', '--json', '--skip-db', '--out', join(p, 'out')];
  const bad = await cli([...base, '--s3', 's3://my-bucket/prefix', '--s3-endpoint', 'ftp://example.com', '--vectors', 'pinecone://products', '--embedder', 'openai:text-embedding-3-small'], p, { HOME: p });
  assert.equal(bad.code, 2);
  const checks = (JSON.parse(bad.out) as DryJson).checks;
  assert.deepEqual(checks.map((c) => c.ok), [false, false]);
  assert.match(checks[0]!.problem!, /endpoint/);
  assert.match(checks[1]!.problem!, /API key|PINECONE_API_KEY/);
  const noCreds = await cli([...base, '--s3', 's3://my-bucket/prefix'], p, { HOME: p });
  assert.match((JSON.parse(noCreds.out) as DryJson).checks[0]!.problem!, /S3_NO_CREDENTIALS/);
  const unknown = await cli([...base, '--vectors', 'lancedb://v', '--embedder', 'cohere:x'], p, { HOME: p });
  assert.match((JSON.parse(unknown.out) as DryJson).checks[0]!.problem!, /Unknown embedder/);
  const good = await cli([...base, '--s3', 's3://my-bucket/prefix', '--s3-endpoint', 'http://127.0.0.1:9', '--vectors', 'pinecone://products?host=127.0.0.1:1', '--embedder', 'openai:text-embedding-3-small'], p, {
    HOME: p, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', OPENAI_API_KEY: 'sk-example-key', PINECONE_API_KEY: 'pc-example-key',
  });
  assert.equal(good.code, 0, good.err + good.out);
  assert.ok((JSON.parse(good.out) as DryJson).checks.every((c) => c.ok));
  assert.equal(existsSync(join(p, 'out')), false, 'nothing written');
});

test('the embedding cache: off by default for the local embedder, on when asked', async () => {
  const p = join(root, 'cache');
  await mkdir(p);
  const args = ['run', 'chat', '--profile', 'light', '--scale', '0.05', '--set', 'messagesPerChannel=5', '--skip-db', '--quiet'];
  const off = await cli([...args, '--vectors', 'lancedb://vec1'], p);
  assert.equal(off.code, 0, off.err);
  assert.ok(existsSync(join(p, 'vec1')), 'vectors written');
  assert.equal(existsSync(join(p, '.seedpipe', 'embeddings')), false, 'no cache for the free local embedder');
  const on = await cli([...args, '--vectors', 'lancedb://vec2', '--embedding-cache'], p);
  assert.equal(on.code, 0, on.err);
  assert.ok(existsSync(join(p, '.seedpipe', 'embeddings')), 'cache written when asked');
});
