// verify: CSV record counting (quoted newlines, chunk boundaries) and the report, with an in-memory reader.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { SeedpipeError } from '../../../src/errors.js';
import { buildManifest, type ManifestFile } from '../../../src/manifest.js';
import { CsvRecordCounter, measure, verify, verifyWith, type ObjectReader } from '../../../src/verify.js';
import { s3ObjectReader } from '../../../stages/sinks/s3/verify.js';
import { runInfo, tableInfo } from '../../support/s3.js';
import { fakeS3 } from './fake-s3.js';

function count(text: string, chunkSize = text.length || 1): number {
  const c = new CsvRecordCounter();
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += chunkSize) c.push(buf.subarray(i, i + chunkSize));
  return c.records();
}

function memoryReader(files: Record<string, Buffer | string>, location = 'mem://x/'): ObjectReader {
  return {
    location,
    async open(name) {
      const b = files[name];
      if (b === undefined) return undefined;
      const buf = Buffer.from(b);
      return { body: (async function* () { for (let i = 0; i < buf.length; i += 7) yield buf.subarray(i, i + 7); })() };
    },
  };
}

function fileEntry(table: string, file: string, stored: Buffer, rows: number): ManifestFile {
  return { table, file, rows, bytes: stored.length, sha256: createHash('sha256').update(stored).digest('hex') };
}

describe('CSV record counting', () => {
  test('newlines inside quotes are not record boundaries, whatever the chunking', () => {
    const text = 'id,note\n1,"two\nlines"\n2,"a ""quoted"" word, and\r\nmore"\r\n3,plain\n';
    for (const size of [1, 2, 3, 5, 8, 1000]) assert.equal(count(text, size), 4, `chunk ${size}`);
    assert.equal(count(''), 0);
    assert.equal(count('id\n'), 1);
    assert.equal(count('id\n1'), 2, 'a last record without newline counts');
    assert.equal(count('"x\n\n"\n'), 1);
  });

  test('measure hashes the stored bytes and counts rows after gunzip', async () => {
    const csv = Buffer.from('a,b\n1,"x\ny"\n2,z\n');
    const gz = gzipSync(csv);
    const m = await measure((async function* () { yield gz; })(), true);
    assert.deepEqual(m, { rows: 2, bytes: gz.length, sha256: createHash('sha256').update(gz).digest('hex') });
  });
});

describe('verify', () => {
  const users = Buffer.from('id,email\n1,a@x\n2,"b\n@x"\n');
  const posts = gzipSync(Buffer.from('id\n1\n2\n3\n'));
  const manifest = buildManifest(runInfo([tableInfo('users', ['id']), tableInfo('posts', ['id'])]), [fileEntry('users', 'users.csv', users, 2), fileEntry('posts', 'posts.csv.gz', posts, 3)], {
    finishedAt: new Date('2024-03-05T07:09:00Z'),
    compression: 'none',
  });
  const manifestText = JSON.stringify(manifest);

  test('an intact folder verifies', async () => {
    const r = await verifyWith(memoryReader({ 'manifest.json': manifestText, 'users.csv': users, 'posts.csv.gz': posts }));
    assert.equal(r.ok, true, JSON.stringify(r.files));
    assert.deepEqual(r.files.map((f) => [f.file, f.ok, f.actual?.rows]), [['users.csv', true, 2], ['posts.csv.gz', true, 3]]);
  });

  test('changed, truncated, missing and corrupt files are each reported', async () => {
    const changed = Buffer.from(users.toString().replace('a@x', 'A@x'));
    const r = await verifyWith(memoryReader({ 'manifest.json': manifestText, 'users.csv': changed }));
    assert.equal(r.ok, false);
    assert.deepEqual(r.files.map((f) => [f.file, f.ok, f.problem]), [['users.csv', false, 'sha256 differs'], ['posts.csv.gz', false, 'missing']]);
    const r2 = await verifyWith(memoryReader({ 'manifest.json': manifestText, 'users.csv': users.subarray(0, 15), 'posts.csv.gz': Buffer.from('not gzip') }));
    assert.match(r2.files[0]?.problem ?? '', /bytes 15 ≠ 24; sha256 differs; rows 1 ≠ 2/);
    assert.match(r2.files[1]?.problem ?? '', /^unreadable/);
  });

  test('no manifest is a clear error; an s3:// target needs a reader', async () => {
    await assert.rejects(verifyWith(memoryReader({ 'users.csv': users })), (e: unknown) => e instanceof SeedpipeError && e.code === 'VERIFY_MANIFEST_MISSING' && /mem:\/\/x\//.test(e.message));
    await assert.rejects(verifyWith(memoryReader({ 'manifest.json': '{"nope":1}' })), (e: unknown) => e instanceof SeedpipeError && e.code === 'VERIFY_BAD_MANIFEST');
    await assert.rejects(verify('s3://bucket/x/'), (e: unknown) => e instanceof SeedpipeError && e.code === 'VERIFY_NEEDS_READER');
  });

  test('the S3 reader compares ETags and treats NoSuchKey as missing', async () => {
    const fake = fakeS3();
    const withEtag = { ...manifest, files: [{ ...fileEntry('users', 'users.csv', users, 2), etag: `"etag-${users.length}"` }] };
    fake.objects.set('p/g/manifest.json', Buffer.from(JSON.stringify(withEtag)));
    fake.objects.set('p/g/users.csv', users);
    assert.equal((await verifyWith(s3ObjectReader(fake.client, 's3://bucket/p/g'))).ok, true);
    fake.objects.set('p/g/manifest.json', Buffer.from(JSON.stringify({ ...withEtag, files: [{ ...withEtag.files[0], etag: '"other"' }] })));
    const r = await verifyWith(s3ObjectReader(fake.client, 's3://bucket/p/g/'));
    assert.match(r.files[0]?.problem ?? '', /etag/);
    fake.objects.delete('p/g/manifest.json');
    await assert.rejects(verifyWith(s3ObjectReader(fake.client, 's3://bucket/p/g/')), /no manifest\.json in s3:\/\/bucket\/p\/g\//);
  });
});
