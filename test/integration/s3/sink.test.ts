// The S3 sink against a real S3 implementation (Ceph RADOS Gateway): read-back, multipart, manifest,
// verify, abort without leftovers, credential and bucket errors, gzip, shards.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { SinkBatch, TableInfo } from '../../../src/contracts.js';
import { SeedpipeError } from '../../../src/errors.js';
import type { Manifest } from '../../../src/manifest.js';
import { S3Sink, finalizeS3Shards, verifyS3, type S3SinkOptions } from '../../../stages/sinks/s3/index.js';
import { bigBatches, csvBatch, runInfo, startTestS3, tableInfo, testS3Client, type TestS3 } from '../../support/s3.js';
import { streamFor } from '../../support/streams.js';

let s3: TestS3;
let client: S3Client;

before(async () => {
  s3 = await startTestS3();
  client = testS3Client(s3);
  await client.send(new CreateBucketCommand({ Bucket: 'seed' }));
});

after(async () => {
  client?.destroy();
  await s3?.stop();
});

const users = tableInfo('users', ['id', 'email', 'password_hash', 'bio'], { hidden: ['password_hash'] });
const posts = tableInfo('posts', ['id', 'user_id', 'body']);
const big = tableInfo('events', ['id', 'name', 'note']);

const userRows = [
  [1, 'ada@example.com', '$2b$hash1', 'likes "quotes", commas'],
  [2, 'bob@example.com', '$2b$hash2', 'two\nlines'],
  [3, 'cy@example.com', '$2b$hash3', null],
];
const postRows = [
  [10, 1, 'hello'],
  [11, 1, 'again'],
  [12, 3, 'ünïcødé ✓'],
];

function sinkOptions(over: Partial<S3SinkOptions> = {}): S3SinkOptions {
  return {
    url: 's3://seed/datasets',
    endpoint: s3.endpoint,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    // The machine's CA bundle must not get in the way of a plain-http endpoint.
    ...(process.env.AWS_CA_BUNDLE ? { caBundle: process.env.AWS_CA_BUNDLE } : {}),
    ...over,
  };
}

async function getBytes(key: string, bucket = 'seed'): Promise<Buffer> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function listKeys(prefix: string, bucket = 'seed'): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

async function listUploads(prefix: string, bucket = 'seed'): Promise<string[]> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return (out.Uploads ?? []).map((u) => `${u.Key} ${u.UploadId}`);
}

async function writeTable(sink: S3Sink, info: TableInfo, batches: Iterable<SinkBatch>) {
  const w = await sink.table(info, streamFor(sink, info));
  for (const b of batches) await w.write(b);
  return w.close();
}

describe('S3 sink on Ceph RGW', () => {
  test('a small run reads back byte for byte, with a manifest that verify accepts', async () => {
    const run = runInfo([users, posts], { startedAt: '2024-03-05T07:08:09.000Z' });
    const sink = new S3Sink(sinkOptions());
    await sink.open(run);
    const r1 = await writeTable(sink, users, [csvBatch(users, 0, userRows.slice(0, 2)), csvBatch(users, 2, userRows.slice(2))]);
    const r2 = await writeTable(sink, posts, [csvBatch(posts, 0, postRows)]);
    const summary = await sink.commit([r1, r2]);

    const gen = 'datasets/generation_20240305_070809/';
    assert.equal(summary.location, `s3://seed/${gen}`);
    assert.deepEqual(await listKeys(gen), [`${gen}manifest.json`, `${gen}metadata.csv`, `${gen}posts.csv`, `${gen}users.csv`]);

    const usersCsv = 'id,email,bio\n1,ada@example.com,"likes ""quotes"", commas"\n2,bob@example.com,"two\nlines"\n3,cy@example.com,\n';
    assert.equal((await getBytes(`${gen}users.csv`)).toString('utf8'), usersCsv, 'header first, hidden column left out');
    assert.equal((await getBytes(`${gen}posts.csv`)).toString('utf8'), 'id,user_id,body\n10,1,hello\n11,1,again\n12,3,ünïcødé ✓\n');

    const manifest = JSON.parse((await getBytes(`${gen}manifest.json`)).toString('utf8')) as Manifest;
    assert.equal(manifest.format, 'seedpipe-manifest/1');
    assert.equal(manifest.compression, 'none');
    const byTable = new Map(manifest.files.map((f) => [f.table, f]));
    for (const [table, csv, rows] of [['users', usersCsv, 3], ['posts', null, 3]] as const) {
      const f = byTable.get(table)!;
      const bytes = csv === null ? await getBytes(`${gen}posts.csv`) : Buffer.from(csv);
      assert.equal(f.file, `${table}.csv`);
      assert.equal(f.rows, rows);
      assert.equal(f.bytes, bytes.length);
      assert.equal(f.sha256, createHash('sha256').update(bytes).digest('hex'));
      // Single-part objects: the ETag is the MD5 of the bytes.
      assert.equal(f.etag, `"${createHash('md5').update(bytes).digest('hex')}"`);
    }
    const metadata = (await getBytes(`${gen}metadata.csv`)).toString('utf8');
    assert.match(metadata, /^table,file,rows,bytes,sha256,/);
    assert.equal(metadata.trim().split('\n').length, 3);

    // Private: only the owner holds a grant.
    const acl = await client.send(new GetObjectAclCommand({ Bucket: 'seed', Key: `${gen}users.csv` }));
    assert.deepEqual(acl.Grants?.map((g) => g.Permission), ['FULL_CONTROL']);

    const report = await verifyS3(summary.location, { client });
    assert.equal(report.ok, true, JSON.stringify(report.files));
    assert.deepEqual(report.files.map((f) => [f.file, f.ok, f.actual?.rows]), [['users.csv', true, 3], ['posts.csv', true, 3]]);

    // Abort after a successful commit leaves the generation alone.
    await sink.abort(new Error('late failure elsewhere'));
    assert.equal((await listKeys(gen)).length, 4);
  });

  test('a 30+ MB table spans several parts and reads back byte for byte; tampering is reported by verify', async () => {
    const total = 32 * 1024 * 1024;
    const run = runInfo([big], { startedAt: '2024-03-06T00:00:00.000Z' });
    const sink = new S3Sink(sinkOptions({ partSizeBytes: 5 * 1024 * 1024, queueSize: 2 }));
    await sink.open(run);
    const rssBefore = process.memoryUsage().rss;
    const result = await writeTable(sink, big, bigBatches(big, total));
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    const summary = await sink.commit([result]);
    const gen = 'datasets/generation_20240306_000000/';

    // Expected bytes, regenerated (never held whole).
    const expected = createHash('sha256').update('id,name,note\n');
    let expectedBytes = 'id,name,note\n'.length;
    let expectedRows = 0;
    for (const b of bigBatches(big, total)) {
      expected.update(b.bytes);
      expectedBytes += b.bytes.length;
      expectedRows += b.count;
    }
    const out = await client.send(new GetObjectCommand({ Bucket: 'seed', Key: `${gen}events.csv` }));
    const got = createHash('sha256');
    let gotBytes = 0;
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
      got.update(chunk);
      gotBytes += chunk.length;
    }
    assert.ok(expectedBytes > 30 * 1024 * 1024);
    assert.equal(gotBytes, expectedBytes);
    assert.equal(got.digest('hex'), expected.digest('hex'));
    assert.equal(result.rows, expectedRows);
    assert.equal(result.bytes, expectedBytes);
    const etag = String(result.details?.['etag']);
    const parts = Number(/-(\d+)"?$/.exec(etag)?.[1]);
    assert.equal(parts, Math.ceil(expectedBytes / (5 * 1024 * 1024)), `multipart ETag ${etag}`);
    // Bounded by part size × queue depth, not by the table (generous margin for GC timing).
    assert.ok(rssGrowth < 150 * 1024 * 1024, `rss grew by ${rssGrowth}`);

    const ok = await verifyS3(summary.location, { client });
    assert.equal(ok.ok, true, JSON.stringify(ok.files));
    assert.equal(ok.files[0]?.actual?.rows, expectedRows);

    await client.send(new PutObjectCommand({ Bucket: 'seed', Key: `${gen}events.csv`, Body: 'id,name,note\n1,x,y\n' }));
    const bad = await verifyS3(summary.location, { client });
    assert.equal(bad.ok, false);
    const f = bad.files[0]!;
    assert.equal(f.ok, false);
    assert.equal(f.actual?.rows, 1);
    assert.match(f.problem ?? '', /bytes .*sha256 differs.*rows 1/);
  });

  test('a source that throws mid-upload leaves no object and no multipart upload behind', async () => {
    const run = runInfo([users, big], { startedAt: '2024-03-07T00:00:00.000Z' });
    const sink = new S3Sink(sinkOptions({ partSizeBytes: 5 * 1024 * 1024, queueSize: 3 }));
    const gen = 'datasets/generation_20240307_000000/';
    await sink.open(run);
    await writeTable(sink, users, [csvBatch(users, 0, userRows)]);
    const w = await sink.table(big, streamFor(sink, big));
    function* failing(): Generator<SinkBatch> {
      let bytes = 0;
      for (const b of bigBatches(big, 64 * 1024 * 1024)) {
        yield b;
        bytes += b.bytes.length;
        if (bytes > 18 * 1024 * 1024) throw new Error('generator exploded');
      }
    }
    const failure = await (async () => {
      try {
        for (const b of failing()) await w.write(b);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.equal((failure as Error).message, 'generator exploded');
    // Parts were uploaded before the failure.
    assert.ok((await listUploads(gen)).length >= 1, 'a multipart upload was in progress');
    assert.ok((await listKeys(gen)).includes(`${gen}users.csv`));

    await sink.abort(failure);
    assert.deepEqual(await listKeys(gen), []);
    assert.deepEqual(await listUploads(gen), []);
    await sink.abort(failure); // idempotent
    await assert.rejects(w.write(csvBatch(big, 0, [[1, 'a', 'b']])), (e: unknown) => e instanceof SeedpipeError && e.code === 'S3_ABORTED');
    await assert.rejects(sink.commit([]), (e: unknown) => e instanceof SeedpipeError && e.code === 'S3_SINK_STATE');
  });

  test('a wrong secret key fails open with S3_ACCESS_DENIED, names the key id, never the secret, writes nothing', async () => {
    const secret = 'WRONG-SECRET-0123456789';
    const sink = new S3Sink(sinkOptions({ credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: secret } }));
    const run = runInfo([users], { startedAt: '2024-03-08T00:00:00.000Z' });
    const err = await sink.open(run).then(
      () => assert.fail('open should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof SeedpipeError);
    assert.equal(err.code, 'S3_ACCESS_DENIED');
    assert.match(err.message, new RegExp(s3.accessKeyId));
    for (const text of [err.message, JSON.stringify(err.data), String(err.stack)]) assert.ok(!text.includes(secret), text);
    await sink.abort(err);
    assert.deepEqual(await listKeys('datasets/generation_20240308_000000/'), []);
  });

  test('a missing bucket fails with S3_BUCKET_NOT_FOUND; createBucket creates it', async () => {
    const run = runInfo([posts], { startedAt: '2024-03-09T00:00:00.000Z' });
    const missing = new S3Sink(sinkOptions({ url: 's3://not-there-yet/x' }));
    await assert.rejects(missing.open(run), (e: unknown) => {
      assert.ok(e instanceof SeedpipeError);
      assert.equal(e.code, 'S3_BUCKET_NOT_FOUND');
      assert.match(e.message, /not-there-yet.*--s3-create-bucket/);
      return true;
    });
    await assert.rejects(client.send(new HeadBucketCommand({ Bucket: 'not-there-yet' })));

    const creating = new S3Sink(sinkOptions({ url: 's3://not-there-yet/x', createBucket: true }));
    await creating.open(run);
    await client.send(new HeadBucketCommand({ Bucket: 'not-there-yet' }));
    const r = await writeTable(creating, posts, [csvBatch(posts, 0, postRows)]);
    const summary = await creating.commit([r]);
    assert.equal(summary.location, 's3://not-there-yet/x/generation_20240309_000000/');
    assert.equal((await verifyS3(summary.location, { client })).ok, true);
  });

  test('gzip: objects read back as the gzipped original, and verify counts rows after gunzip', async () => {
    const run = runInfo([users, big], { startedAt: '2024-03-10T00:00:00.000Z' });
    const sink = new S3Sink(sinkOptions({ gzip: true }));
    await sink.open(run);
    const r1 = await writeTable(sink, users, [csvBatch(users, 0, userRows)]);
    const bigTotal = 6 * 1024 * 1024;
    const r2 = await writeTable(sink, big, bigBatches(big, bigTotal));
    const summary = await sink.commit([r1, r2]);
    const gen = 'datasets/generation_20240310_000000/';
    const stored = await getBytes(`${gen}users.csv.gz`);
    assert.equal(r1.bytes, stored.length);
    assert.equal(r1.details?.['sha256'], createHash('sha256').update(stored).digest('hex'));
    assert.equal(gunzipSync(stored).toString('utf8'), 'id,email,bio\n1,ada@example.com,"likes ""quotes"", commas"\n2,bob@example.com,"two\nlines"\n3,cy@example.com,\n');

    const bigPlain = Buffer.concat([Buffer.from('id,name,note\n'), ...[...bigBatches(big, bigTotal)].map((b) => b.bytes)]);
    assert.ok(gunzipSync(await getBytes(`${gen}events.csv.gz`)).equals(bigPlain));

    const manifest = JSON.parse((await getBytes(`${gen}manifest.json`)).toString('utf8')) as Manifest;
    assert.equal(manifest.compression, 'gzip');
    assert.deepEqual(manifest.files.map((f) => f.file), ['users.csv.gz', 'events.csv.gz']);
    const report = await verifyS3(summary.location, { client });
    assert.equal(report.ok, true, JSON.stringify(report.files));
    assert.equal(report.files[1]?.actual?.rows, r2.rows);
  });

  test('shards write part files without a manifest; finalize writes one that verify accepts; a shard abort removes only its own files', async () => {
    const startedAt = '2024-03-11T00:00:00.000Z';
    const gen = 'datasets/generation_20240311_000000/';
    const results = [];
    for (const index of [0, 1]) {
      const run = runInfo([posts], { startedAt, shard: { index, count: 2 } });
      const sink = new S3Sink(sinkOptions());
      await sink.open(run);
      const rows = postRows.filter((_, i) => i % 2 === index);
      const r = await writeTable(sink, posts, [csvBatch(posts, index, rows)]);
      const summary = await sink.commit([r]);
      assert.equal(summary.extra?.['manifest'], null);
      results.push(r);
    }
    let keys = await listKeys(gen);
    assert.ok(keys.includes(`${gen}posts.part-0-of-2.csv`) && keys.includes(`${gen}posts.part-1-of-2.csv`), keys.join(' '));
    assert.ok(!keys.includes(`${gen}manifest.json`));

    // A third shard of another layout fails and aborts: the committed shards stay.
    const failing = new S3Sink(sinkOptions());
    await failing.open(runInfo([users], { startedAt, shard: { index: 2, count: 3 } }));
    const w = await failing.table(users, streamFor(failing, users));
    await w.write(csvBatch(users, 0, userRows));
    await failing.abort(new Error('boom'));
    assert.deepEqual(await listKeys(gen), keys);

    await assert.rejects(finalizeS3Shards(client, { url: `s3://seed/${gen}`, run: runInfo([posts], { startedAt }), count: 3 }), (e: unknown) => e instanceof SeedpipeError && e.code === 'S3_SHARDS_INCOMPLETE');
    const { manifest } = await finalizeS3Shards(client, { url: `s3://seed/${gen}`, run: runInfo([posts], { startedAt, shard: { index: 0, count: 2 } }), count: 2 });
    assert.equal(manifest.shard, undefined);
    assert.deepEqual(manifest.files.map((f) => [f.file, f.rows]), [['posts.part-0-of-2.csv', 2], ['posts.part-1-of-2.csv', 1]]);
    keys = await listKeys(gen);
    assert.ok(keys.includes(`${gen}manifest.json`));
    const report = await verifyS3(`s3://seed/${gen}`, { client });
    assert.equal(report.ok, true, JSON.stringify(report.files));
  });

  test('verify of a folder without a manifest says so', async () => {
    await assert.rejects(verifyS3('s3://seed/datasets/generation_19990101_000000/', { client }), (e: unknown) => {
      assert.ok(e instanceof SeedpipeError);
      assert.equal(e.code, 'VERIFY_MANIFEST_MISSING');
      assert.match(e.message, /no manifest\.json in s3:\/\/seed\/datasets\/generation_19990101_000000\//);
      return true;
    });
  });

  test('an unreachable endpoint fails with S3_UNREACHABLE naming the endpoint', async () => {
    const endpoint = 'http://127.0.0.1:9'; // discard port: nothing listens
    const sink = new S3Sink(sinkOptions({ endpoint, maxAttempts: 1 }));
    await assert.rejects(sink.open(runInfo([users])), (e: unknown) => {
      assert.ok(e instanceof SeedpipeError);
      assert.equal(e.code, 'S3_UNREACHABLE');
      assert.match(e.message, /127\.0\.0\.1:9/);
      return true;
    });
  });
});
