/** `run --s3` and `verify s3://…` as a user runs them, against Ceph RGW (a real S3 implementation). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { runCli } from '../support/cli.js';
import { startTestS3, testS3Client, type TestS3 } from '../support/s3.js';

let s3: TestS3;
let out: string;
before(async () => {
  s3 = await startTestS3();
  out = await mkdtemp(join(tmpdir(), 'sp-s3e2e-'));
});
after(async () => {
  await s3?.stop();
  await rm(out, { recursive: true, force: true });
});

const env = () => ({ AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_CA_BUNDLE: undefined, AWS_PROFILE: undefined });
const ARGS = ['run', 'chat', '--profile', 'light', '--scale', '0.2', '--set', 'messagesPerChannel=50', '--skip-db'];

test('run --s3 uploads the same bytes as the CSV files, with a manifest that verify accepts', async () => {
  const r = await runCli([...ARGS, '--out', out, '--s3', 's3://seed-e2e/datasets', '--s3-create-bucket', '--json'], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { sinks: { sink: string; location: string }[] };
  const location = summary.sinks.find((s) => s.sink === 's3')!.location;
  assert.match(location, /^s3:\/\/seed-e2e\/datasets\/generation_\d{8}_\d{6}\/$/);
  const client = testS3Client(s3);
  const prefix = location.replace('s3://seed-e2e/', '');
  const keys = ((await client.send(new ListObjectsV2Command({ Bucket: 'seed-e2e', Prefix: prefix }))).Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
  assert.deepEqual(keys, ['channels.csv', 'manifest.json', 'message_reactions.csv', 'messages.csv', 'metadata.csv', 'reactions.csv', 'user_channels.csv', 'users.csv']);
  for (const f of ['users.csv', 'messages.csv']) {
    const body = await (await client.send(new GetObjectCommand({ Bucket: 'seed-e2e', Key: prefix + f }))).Body!.transformToByteArray();
    assert.deepEqual(Buffer.from(body), await readFile(join(out, f)), f);
  }
  const v = await runCli(['verify', location, '--json'], { env: env() });
  assert.equal(v.code, 0, v.stderr);
  assert.equal((JSON.parse(v.stdout) as { ok: boolean }).ok, true);
});

test('wrong secret key: a clear error without the secret, and nothing written', async () => {
  await testS3Client(s3).send(new CreateBucketCommand({ Bucket: 'seed-denied' }));
  const secret = 'wrong-secret-that-must-not-leak';
  const r = await runCli([...ARGS, '--skip-csv', '--s3', 's3://seed-denied/x'], { env: { ...env(), AWS_SECRET_ACCESS_KEY: secret } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /S3_ACCESS_DENIED/);
  assert.ok(!r.stderr.includes(secret));
  const listed = await testS3Client(s3).send(new ListObjectsV2Command({ Bucket: 'seed-denied' }));
  assert.equal(listed.KeyCount ?? 0, 0);
});
