// S3 sink behaviour with an in-memory fake client: options, naming, errors, abort, manifest order.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { SeedpipeError } from '../../../src/errors.js';
import type { Manifest } from '../../../src/manifest.js';
import {
  DEFAULT_PART_SIZE,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  S3Sink,
  buildS3Client,
  clampPartSize,
  clampQueueSize,
  generationFolder,
  objectFileName,
  parseS3Url,
  toSeedpipeError,
} from '../../../stages/sinks/s3/index.js';
import { csvBatch, runInfo, tableInfo } from '../../support/s3.js';
import { fakeS3 } from './fake-s3.js';
import { streamFor } from '../../support/streams.js';

const users = tableInfo('users', ['id', 'email', 'password_hash'], { hidden: ['password_hash'] });
const rows = [
  [1, 'a@example.com', 'h1'],
  [2, 'b@example.com', 'h2'],
];
const MiB = 1024 * 1024;

describe('options', () => {
  test('part size defaults to 8 MiB and is clamped to S3 limits', () => {
    assert.deepEqual(clampPartSize(undefined), { partSize: 8 * MiB, clamped: false });
    assert.deepEqual(clampPartSize(1024), { partSize: MIN_PART_SIZE, clamped: true });
    assert.deepEqual(clampPartSize(6 * MiB), { partSize: 6 * MiB, clamped: false });
    assert.deepEqual(clampPartSize(10 * 1024 * MiB), { partSize: MAX_PART_SIZE, clamped: true });
    assert.deepEqual(clampPartSize(Number.NaN), { partSize: DEFAULT_PART_SIZE, clamped: true });
    const { client } = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket/p', partSizeBytes: 1 }, { client });
    assert.equal(sink.partSize, 5 * MiB);
    assert.equal(sink.partSizeClamped, true);
    assert.equal(clampQueueSize(undefined), 4);
    assert.equal(clampQueueSize(0), 1);
    assert.equal(clampQueueSize(1000), 64);
  });

  test('s3 URLs parse into bucket and a prefix ending with /', () => {
    assert.deepEqual(parseS3Url('s3://bucket'), { bucket: 'bucket', prefix: '' });
    assert.deepEqual(parseS3Url('s3://bucket/'), { bucket: 'bucket', prefix: '' });
    assert.deepEqual(parseS3Url('s3://bucket/a/b'), { bucket: 'bucket', prefix: 'a/b/' });
    assert.deepEqual(parseS3Url('s3://bucket//a//b/'), { bucket: 'bucket', prefix: 'a/b/' });
    for (const bad of ['bucket/a', 'https://bucket/a', 's3://B/x', 's3://a/x']) {
      assert.throws(() => parseS3Url(bad), (e: unknown) => e instanceof SeedpipeError && e.code === 'S3_BAD_URL', bad);
    }
  });

  test('sseKmsKeyId without aws:kms is refused up front', () => {
    assert.throws(() => new S3Sink({ url: 's3://bucket', sse: 'AES256', sseKmsKeyId: 'k' }, { client: fakeS3().client }), /sseKmsKeyId/);
  });
});

describe('naming', () => {
  test('generation folder is the UTC time of the run start', () => {
    assert.equal(generationFolder('2024-03-05T07:08:09.999Z'), 'generation_20240305_070809');
    assert.equal(generationFolder('2024-12-31T23:30:00-02:00'), 'generation_20250101_013000');
    assert.throws(() => generationFolder('not a date'), /invalid time/);
  });

  test('object names: plain, gzip, shard parts', () => {
    assert.equal(objectFileName('users', { gzip: false }), 'users.csv');
    assert.equal(objectFileName('users', { gzip: true }), 'users.csv.gz');
    assert.equal(objectFileName('users', { gzip: false, shard: { index: 3, count: 16 } }), 'users.part-03-of-16.csv');
  });

  test('open computes the folder from startedAt (or `now`) under the prefix', async () => {
    const { client } = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket/data/sets' }, { client });
    await sink.open(runInfo([users], { startedAt: '2024-03-05T07:08:09.000Z' }));
    assert.equal(sink.location, 's3://bucket/data/sets/generation_20240305_070809/');
    const other = new S3Sink({ url: 's3://bucket', now: new Date('2030-01-02T03:04:05Z') }, { client });
    await other.open(runInfo([users]));
    assert.equal(other.location, 's3://bucket/generation_20300102_030405/');
  });
});

describe('writing', () => {
  test('header once, first; CSV bytes as given; manifest written last after metadata.csv', async () => {
    const fake = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket/d', sse: 'aws:kms', sseKmsKeyId: 'key-1', clock: () => new Date('2024-03-05T07:09:00Z') }, { client: fake.client });
    const run = runInfo([users]);
    await sink.open(run);
    const w = await sink.table(users, streamFor(sink, users));
    await w.write(csvBatch(users, 0, rows.slice(0, 1)));
    await w.write(csvBatch(users, 1, rows.slice(1)));
    const r = await w.close();
    const summary = await sink.commit([r]);
    const gen = 'd/generation_20240305_070809/';
    const body = fake.objects.get(`${gen}users.csv`)!;
    assert.equal(body.toString(), 'id,email\n1,a@example.com\n2,b@example.com\n');
    assert.equal(r.rows, 2);
    assert.equal(r.bytes, body.length);
    assert.equal(r.details?.['sha256'], createHash('sha256').update(body).digest('hex'));
    const puts = fake.calls.filter((c) => c.name === 'PutObject').map((c) => c.input);
    // The run's record first (the folder is being written), deleted once the manifest is there.
    assert.deepEqual(puts.map((i) => i.Key), [`${gen}.seedpipe-run.json`, `${gen}users.csv`, `${gen}metadata.csv`, `${gen}manifest.json`]);
    assert.deepEqual([...fake.objects.keys()].filter((k) => k.startsWith(gen)).sort(), [`${gen}manifest.json`, `${gen}metadata.csv`, `${gen}users.csv`]);
    for (const i of puts) {
      assert.equal(i.ServerSideEncryption, 'aws:kms');
      assert.equal(i.SSEKMSKeyId, 'key-1');
      assert.equal(i.ACL, undefined);
    }
    assert.equal(puts[1]?.ContentType, 'text/csv; charset=utf-8');
    const manifest = JSON.parse(fake.objects.get(`${gen}manifest.json`)!.toString()) as Manifest;
    assert.deepEqual(manifest.files, [{ table: 'users', file: 'users.csv', rows: 2, bytes: body.length, sha256: r.details?.['sha256'], etag: `"etag-${body.length}"` }]);
    assert.equal(manifest.durationMs, 51_000);
    assert.equal(summary.location, `s3://bucket/${gen}`);
  });

  test('the object is the stream the encoder made: header first, batches, trailer last; an empty table still gets its header', async () => {
    const fake = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket' }, { client: fake.client });
    const posts = tableInfo('posts', ['id']);
    await sink.open(runInfo([users, posts]));
    const w = await sink.table(users, { format: 'csv', header: Buffer.from('id,email\r\n'), trailer: () => Buffer.from('-- end\r\n') });
    await w.write({ table: 'users', start: 0, count: 1, rows: undefined, bytes: Buffer.from('1,a\r\n') });
    const r0 = await w.close();
    assert.equal(r0.rows, 1);
    const e = await sink.table(posts, streamFor(sink, posts));
    const r = await e.close();
    assert.equal(r.rows, 0);
    await sink.commit([]);
    const gen = 'generation_20240305_070809/';
    assert.equal(fake.objects.get(`${gen}users.csv`)!.toString(), 'id,email\r\n1,a\r\n-- end\r\n');
    assert.equal(fake.objects.get(`${gen}posts.csv`)!.toString(), 'id\n');
  });

  test('gzip stores the compressed bytes and hashes them', async () => {
    const fake = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket', gzip: true }, { client: fake.client });
    await sink.open(runInfo([users]));
    const w = await sink.table(users, streamFor(sink, users));
    await w.write(csvBatch(users, 0, rows));
    const r = await w.close();
    const stored = fake.objects.get('generation_20240305_070809/users.csv.gz')!;
    assert.equal(gunzipSync(stored).toString(), 'id,email\n1,a@example.com\n2,b@example.com\n');
    assert.equal(r.bytes, stored.length);
    assert.equal(r.details?.['sha256'], createHash('sha256').update(stored).digest('hex'));
  });

  test('a table left out of exports is consumed but not written nor listed', async () => {
    const fake = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket' }, { client: fake.client });
    const secrets = tableInfo('secrets', ['id'], { exported: false });
    await sink.open(runInfo([users, secrets]));
    const w = await sink.table(secrets, streamFor(sink, secrets));
    await w.write(csvBatch(secrets, 0, [[1], [2]]));
    const r = await w.close();
    assert.deepEqual(r, { table: 'secrets', rows: 0, bytes: 0, details: { skipped: 'table not exported', generated: 2 } });
    await sink.commit([r]);
    assert.deepEqual([...fake.objects.keys()].sort(), ['generation_20240305_070809/manifest.json', 'generation_20240305_070809/metadata.csv']);
    const manifest = JSON.parse(fake.objects.get('generation_20240305_070809/manifest.json')!.toString()) as Manifest;
    assert.deepEqual(manifest.files, []);
  });

  test('a shard writes a part file and a shard record, not the manifest', async () => {
    const fake = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket' }, { client: fake.client });
    await sink.open(runInfo([users], { shard: { index: 1, count: 4 } }));
    const w = await sink.table(users, streamFor(sink, users));
    await w.write(csvBatch(users, 0, rows));
    await sink.commit([await w.close()]);
    assert.deepEqual([...fake.objects.keys()].sort(), ['generation_20240305_070809/_shards/shard-part-1-of-4.json', 'generation_20240305_070809/users.part-1-of-4.csv']);
  });
});

describe('failures', () => {
  test('a failing part upload rejects the writer instead of hanging, and abort leaves nothing behind', async () => {
    const fake = fakeS3({ fail: (c) => { if (c.name === 'UploadPart' && c.input.PartNumber === 2) throw Object.assign(new Error('boom'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }); } });
    const sink = new S3Sink({ url: 's3://bucket', partSizeBytes: 5 * MiB, queueSize: 1 }, { client: fake.client });
    await sink.open(runInfo([users]));
    const done = await sink.table(users, streamFor(sink, users));
    await done.write(csvBatch(users, 0, rows));
    await done.close();
    const w = await sink.table(tableInfo('big', ['x']), streamFor(sink, tableInfo('big', ['x'])));
    const chunk = Buffer.alloc(1 * MiB, 'x\n');
    const err = await (async () => {
      for (let i = 0; i < 40; i++) await w.write({ table: 'big', start: i, count: 1, rows: undefined, bytes: chunk });
    })().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SeedpipeError, String(err));
    assert.equal(err.code, 'S3_REQUEST_FAILED');
    assert.equal(err.disposition, 'retriable');
    await sink.abort(err);
    assert.deepEqual([...fake.objects.keys()], []);
    assert.equal(fake.uploads.size, 0);
    assert.ok(fake.calls.some((c) => c.name === 'AbortMultipartUpload'));
    assert.ok(fake.calls.some((c) => c.name === 'DeleteObject' && c.input.Key === 'generation_20240305_070809/users.csv'));
  });

  test('a part upload that times out is S3_TIMEOUT naming the bound; an abort the silent server cannot take says, briefly, what is left', async () => {
    let silent = false;
    const timeout = () => Object.assign(new Error('@smithy/node-http-handler - the request socket timed out after 3000 ms of inactivity (configured by client requestHandler).'), { name: 'TimeoutError' });
    const fake = fakeS3({ fail: (c) => { if (silent || (c.name === 'UploadPart' && c.input.PartNumber === 2)) { silent = true; throw timeout(); } } });
    const sink = new S3Sink({ url: 's3://bucket', partSizeBytes: 5 * MiB, queueSize: 2, socketIdleTimeoutMs: 3000 }, { client: fake.client });
    await sink.open(runInfo([users]));
    const w = await sink.table(tableInfo('big', ['x']), streamFor(sink, tableInfo('big', ['x'])));
    const chunk = Buffer.alloc(1 * MiB, 'x\n');
    const err = await (async () => {
      for (let i = 0; i < 40; i++) await w.write({ table: 'big', start: i, count: 1, rows: undefined, bytes: chunk });
      await w.close();
    })().then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SeedpipeError, String(err));
    assert.equal(err.code, 'S3_TIMEOUT');
    assert.match(err.message, /did not answer within 3 s while uploading s3:\/\/bucket\/generation_20240305_070809\/big\.csv/);
    const incomplete = await sink.abort(err).then(() => undefined, (e: unknown) => e);
    assert.ok(incomplete instanceof SeedpipeError, String(incomplete));
    assert.equal(incomplete.code, 'S3_ABORT_INCOMPLETE');
    assert.match(incomplete.message, /multipart upload up1 of generation_20240305_070809\/big\.csv: no answer within 3 s while aborting \(--s3-timeout\)/);
    assert.doesNotMatch(incomplete.message, /took the connection/, 'the long explanation is the run error\'s, not repeated per problem');
    assert.match(incomplete.message, /aws s3 rm --recursive s3:\/\/bucket\/generation_20240305_070809\//);
    assert.match(sink.undone ?? '', /^not everything could be undone: could not fully remove the failed run/);
    // The server answers again: the next abort removes what is left.
    silent = false;
    await sink.abort(err);
    assert.equal(fake.uploads.size, 0);
    assert.deepEqual([...fake.objects.keys()], []);
    assert.match(sink.undone ?? '', /^aborted 1 multipart upload\(s\)/);
  });

  test('abort mid-upload stops the upload, aborts the multipart upload, and refuses further writes', async () => {
    const fake = fakeS3();
    const sink = new S3Sink({ url: 's3://bucket', partSizeBytes: 5 * MiB }, { client: fake.client });
    await sink.open(runInfo([users]));
    const w = await sink.table(tableInfo('big', ['x']), streamFor(sink, tableInfo('big', ['x'])));
    const chunk = Buffer.alloc(1 * MiB, 'y\n');
    for (let i = 0; i < 12; i++) await w.write({ table: 'big', start: i, count: 1, rows: undefined, bytes: chunk });
    await sink.abort(new Error('source failed'));
    await sink.abort(new Error('again'));
    assert.equal(fake.uploads.size, 0);
    assert.deepEqual([...fake.objects.keys()], []);
    assert.ok(fake.calls.some((c) => c.name === 'CreateMultipartUpload'));
    assert.ok(fake.calls.some((c) => c.name === 'AbortMultipartUpload'));
    assert.ok(!fake.calls.some((c) => c.name === 'CompleteMultipartUpload'));
    await assert.rejects(w.write({ table: 'big', start: 99, count: 1, rows: undefined, bytes: chunk }), /aborted/);
    await assert.rejects(w.close(), /aborted/);
  });

  test('abort before anything was written sends nothing; abort after commit deletes nothing', async () => {
    const fake = fakeS3();
    await new S3Sink({ url: 's3://bucket' }, { client: fake.client }).abort(new Error('before open'));
    assert.equal(fake.calls.length, 0);
    const idle = new S3Sink({ url: 's3://bucket' }, { client: fake.client });
    await idle.open(runInfo([users]));
    const before = fake.calls.length;
    await idle.abort(new Error('x'));
    assert.equal(fake.calls.length, before);

    const sink = new S3Sink({ url: 's3://bucket', now: new Date('2024-01-01T00:00:00Z') }, { client: fake.client });
    await sink.open(runInfo([users]));
    const w = await sink.table(users, streamFor(sink, users));
    await w.write(csvBatch(users, 0, rows));
    await sink.commit([await w.close()]);
    await sink.abort(new Error('another sink failed'));
    assert.equal([...fake.objects.keys()].filter((k) => k.startsWith('generation_20240101_000000/')).length, 3);
  });

  test('missing bucket: S3_BUCKET_NOT_FOUND, or CreateBucket with createBucket', async () => {
    const fake = fakeS3({ buckets: [] });
    await assert.rejects(new S3Sink({ url: 's3://nope/x' }, { client: fake.client }).open(runInfo([users])), (e: unknown) => {
      assert.ok(e instanceof SeedpipeError);
      assert.equal(e.code, 'S3_BUCKET_NOT_FOUND');
      assert.match(e.message, /"nope".*--s3-create-bucket/);
      return true;
    });
    await new S3Sink({ url: 's3://nope/x', createBucket: true, region: 'eu-west-1' }, { client: fake.client }).open(runInfo([users]));
    const create = fake.calls.find((c) => c.name === 'CreateBucket');
    assert.deepEqual(create?.input, { Bucket: 'nope', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
  });

  test('rejected credentials: S3_ACCESS_DENIED names the key id, never the secret', async () => {
    const secret = 'super-secret-value-123';
    const fake = fakeS3({
      fail: () => {
        throw Object.assign(new Error(`The request signature we calculated does not match (${secret})`), { name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
      },
    });
    const sink = new S3Sink({ url: 's3://bucket', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secret } }, { client: fake.client });
    const err = await sink.open(runInfo([users])).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof SeedpipeError);
    assert.equal(err.code, 'S3_ACCESS_DENIED');
    assert.match(err.message, /AKIAEXAMPLE/);
    assert.ok(!err.message.includes(secret));
    assert.ok(!JSON.stringify(err.data).includes(secret));
  });

  test('network errors map to S3_UNREACHABLE naming the endpoint; other errors are redacted', () => {
    const ctx = { action: 'checking bucket "b"', endpoint: 'http://10.0.0.1:7480', bucket: 'b', secrets: ['s3cr3t-key'] };
    const refused = toSeedpipeError(Object.assign(new AggregateError([Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })]), { code: 'ECONNREFUSED' }), ctx);
    assert.equal(refused.code, 'S3_UNREACHABLE');
    assert.match(refused.message, /10\.0\.0\.1:7480/);
    assert.equal(toSeedpipeError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), ctx).code, 'S3_UNREACHABLE');
    assert.equal(toSeedpipeError(Object.assign(new Error('t'), { name: 'TimeoutError' }), ctx).code, 'S3_UNREACHABLE');
    const other = toSeedpipeError(Object.assign(new Error('bad thing with s3cr3t-key inside'), { name: 'InvalidRequest', $metadata: { httpStatusCode: 400 } }), ctx);
    assert.equal(other.code, 'S3_REQUEST_FAILED');
    assert.ok(!other.message.includes('s3cr3t-key'));
  });

  test('a server that takes the connection and goes silent: S3_TIMEOUT naming the bound and --s3-timeout; a connect timeout stays S3_UNREACHABLE', () => {
    const ctx = { action: 'uploading s3://b/k', endpoint: 'http://10.0.0.1:7480', bucket: 'b', secrets: [], timeoutMs: 3000 };
    // The node handler's own words (@smithy/node-http-handler), as the SDK throws them after its last attempt.
    const silent = Object.assign(new Error('@smithy/node-http-handler - the request socket timed out after 3000 ms of inactivity (configured by client requestHandler).'), { name: 'TimeoutError', $metadata: { attempts: 3 } });
    const e = toSeedpipeError(silent, ctx);
    assert.equal(e.code, 'S3_TIMEOUT');
    assert.equal(e.disposition, 'retriable');
    assert.match(e.message, /10\.0\.0\.1:7480 took the connection but did not answer within 3 s while uploading s3:\/\/b\/k/);
    assert.match(e.message, /--s3-timeout/);
    const connect = Object.assign(new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 10000 ms.'), { name: 'TimeoutError' });
    assert.equal(toSeedpipeError(connect, ctx).code, 'S3_UNREACHABLE');
    const reset = Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError', code: 'ECONNRESET' });
    assert.equal(toSeedpipeError(reset, ctx).code, 'S3_UNREACHABLE', 'a reset connection is not a silent server');
    // Wrapped (lib-storage, Promise.all of parts): the timeout behind it still counts.
    assert.equal(toSeedpipeError(Object.assign(new Error('upload failed'), { cause: silent }), ctx).code, 'S3_TIMEOUT');
  });
});

describe('client', () => {
  test('a CA bundle is ignored for a plain-http endpoint and must be readable for https', async () => {
    const http = buildS3Client({ endpoint: 'http://127.0.0.1:1', caBundle: '/nonexistent/ca.pem', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    assert.equal(http.config.forcePathStyle, true);
    assert.equal(await http.config.requestChecksumCalculation(), 'WHEN_REQUIRED');
    http.destroy();
    assert.throws(() => buildS3Client({ endpoint: 'https://s3.example.com', caBundle: '/nonexistent/ca.pem' }), (e: unknown) => e instanceof SeedpipeError && e.code === 'S3_CA_BUNDLE' && /\/nonexistent\/ca\.pem/.test(e.message));
    const aws = buildS3Client({ region: 'eu-west-1' });
    assert.equal(aws.config.forcePathStyle, false);
    aws.destroy();
  });
});
