/**
 * S3 that stops answering in the middle of a run: Ceph RGW frozen with SIGSTOP while a multipart
 * upload is open. The run fails with S3_TIMEOUT naming --s3-timeout (each request bounded, none
 * hangs), exits 1, and says what it could not undo and how to remove it; once RGW is back,
 * `seedpipe clean --s3` removes exactly that, and no generation folder or upload is left.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { startTestS3, testS3Client, type TestS3 } from '../support/s3.js';

const BUCKET = 'seed-stalled';
let s3: TestS3;
let work: string;
before(async () => {
  s3 = await startTestS3();
  await testS3Client(s3).send(new CreateBucketCommand({ Bucket: BUCKET }));
  work = await mkdtemp(join(tmpdir(), 'sp-s3-stalled-'));
});
after(async () => {
  const pid = s3?.rgwPid();
  if (pid) { try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ } }
  await s3?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const env = () => ({ AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_CA_BUNDLE: undefined, AWS_PROFILE: undefined, DATABASE_URL: undefined });

async function openUploads(prefix: string): Promise<string[]> {
  const r = await testS3Client(s3).send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return (r.Uploads ?? []).map((u) => u.Key!);
}
async function objects(prefix: string): Promise<string[]> {
  const r = await testS3Client(s3).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (r.Contents ?? []).map((o) => o.Key!);
}

test('RGW stopped mid-upload: S3_TIMEOUT naming --s3-timeout, exit 1, what is left said; clean removes it afterwards', async () => {
  const rgw = s3.rgwPid();
  assert.ok(rgw, 'radosgw pid');
  // messages.csv (~25 MB at this scale) goes up in 5 MiB parts: a multipart upload is open while it loads.
  const child = runCli(['run', 'chat', '--profile', 'light', '--scale', '10', '--skip-db', '--skip-csv', '--heartbeat', '0',
    '--s3', `s3://${BUCKET}/stalled`, '--s3-part-size', '5MiB', '--s3-timeout', '2'], { cwd: work, env: env(), timeoutMs: 240_000 });
  let frozen = false;
  try {
    for (let i = 0; i < 6000 && !frozen; i++) {
      if ((await openUploads('stalled/')).length > 0) {
        process.kill(rgw, 'SIGSTOP');
        frozen = true;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(frozen, 'caught a multipart upload in progress');
    const r = await child;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /S3_TIMEOUT/);
    assert.match(r.stderr, /did not answer within 2 s while uploading s3:\/\/seed-stalled\/stalled\/generation_\d{8}_\d{6}\//);
    assert.match(r.stderr, /--s3-timeout/);
    // Its abort could not reach the frozen server either: it says what is left and how to remove it.
    assert.match(r.stderr, /not everything could be undone: could not fully remove the failed run from s3:\/\/seed-stalled\/stalled\/generation_\d{8}_\d{6}\//);
    assert.match(r.stderr, /aws s3 rm --recursive s3:\/\/seed-stalled\/stalled\/generation_/);
    assert.match(r.stderr, /no answer within 2 s while (aborting|listing)[^;]*\(--s3-timeout\)/, 'each thing left, briefly');
    assert.equal(r.stderr.split('took the connection').length - 1, 1, 'the timeout explained once, not per thing left');
    assert.ok(!r.stderr.includes(s3.secretAccessKey), 'no secret');
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    if (frozen) process.kill(rgw, 'SIGCONT');
    await child;
  }
  // Back up: what the run said is left is there, and clean removes it.
  const left = [...(await openUploads('stalled/')), ...(await objects('stalled/'))];
  assert.ok(left.length > 0, 'the frozen server kept the upload the run could not abort');
  const c = await runCli(['clean', '--s3', `s3://${BUCKET}/stalled`, '--json'], { cwd: work, env: env(), timeoutMs: 120_000 });
  assert.equal(c.code, 0, c.stderr);
  assert.ok((JSON.parse(c.stdout) as { removed: string[] }).removed.length > 0, c.stdout);
  assert.deepEqual(await openUploads('stalled/'), [], 'no multipart upload left');
  assert.deepEqual(await objects('stalled/'), [], 'no object left');
});
