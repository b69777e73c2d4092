/**
 * The sink conformance suite against real destinations: the CSV sink on the file system (its file
 * stream can be held and broken), the Postgres sink on embedded PostgreSQL 18, the S3 sink on Ceph
 * RGW. What is "visible" is what another reader sees: files, committed rows, objects and multipart
 * uploads in progress.
 */
import { after, before } from 'node:test';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { CsvSink } from '../../../stages/sinks/csv/index.js';
import { PostgresSink } from '../../../stages/sinks/postgres/index.js';
import { S3Sink } from '../../../stages/sinks/s3/index.js';
import { sinkConformance, SUITE_TABLES } from '../../support/sink-conformance.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import { startTestS3, testS3Client, type TestS3 } from '../../support/s3.js';
import { freshDatabase, withClient } from '../postgres/helpers.js';

const MiB = 1024 * 1024;
let pgServer: TestPostgres;
let s3: TestS3;
let s3client: S3Client;
const dirs: string[] = [];
let n = 0;

before(async () => {
  [pgServer, s3] = await Promise.all([startTestEmbedded(), startTestS3()]);
  s3client = testS3Client(s3);
  await s3client.send(new CreateBucketCommand({ Bucket: 'conformance' }));
});

after(async () => {
  s3client?.destroy();
  await Promise.all([pgServer?.stop(), s3?.stop(), ...dirs.map((d) => rm(d, { recursive: true, force: true }))]);
});

sinkConformance('csv (file system)', {
  make: async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sp-conform-'));
    dirs.push(dir);
    let held: (() => void)[] | undefined;
    let broken = false;
    // The real file stream behind a gate, so the suite can hold it (a slow disk) or fail it (a full one).
    const openFile = (path: string) => {
      const file = createWriteStream(path);
      file.on('error', () => undefined); // surfaces through the write callbacks
      return new Writable({
        highWaterMark: 1 << 16,
        write(chunk: Buffer, _enc, cb) {
          if (broken) {
            broken = false;
            cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
            return;
          }
          const go = () => (file.destroyed ? cb(new Error('file closed')) : void file.write(chunk, (e) => cb(e ?? null)));
          if (held) held.push(go);
          else go();
        },
        final(cb) {
          file.end(() => cb());
        },
        destroy(err, cb) {
          file.destroy();
          cb(err);
        },
      });
    };
    return {
      sink: new CsvSink({ dir, openFile }),
      visible: async () => (await readdir(dir)).sort(),
      hold: () => void (held ??= []),
      release: () => {
        const h = held ?? [];
        held = undefined;
        h.forEach((f) => f());
      },
      breakNext: () => void (broken = true),
    };
  },
  // The PassThrough (64 KiB), the meter's and the file stream's buffers, one batch.
  bufferBound: 512 * 1024,
});

sinkConformance('postgres (embedded PostgreSQL 18)', {
  make: async () => {
    const url = await freshDatabase(pgServer.url, `conformance_${++n}`);
    const applicationName = `seedpipe-conformance-${n}`;
    return {
      sink: new PostgresSink({ url, createTables: true, yes: true, applicationName }),
      // An administrator ends the session mid-load (what a failover or a restart does).
      breakNext: async () => {
        await withClient(pgServer.url, (c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1', [`${applicationName}%`]));
      },
      visible: () => withClient(url, async (c) => {
        const out: string[] = [];
        for (const t of SUITE_TABLES) {
          const exists = await c.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [`"${t.name}"`]);
          if (exists.rows[0]!.ok) out.push(...(await c.query<{ r: string }>(`SELECT t::text AS r FROM "${t.name}" t`)).rows.map((r) => `${t.name}:${r.r}`));
        }
        return out.sort();
      }),
    };
  },
  bufferBound: 2 * MiB,
});

sinkConformance('s3 (Ceph RGW)', {
  make: async () => {
    const prefix = `run${++n}/`;
    return {
      sink: new S3Sink({
        url: `s3://conformance/${prefix}`,
        endpoint: s3.endpoint,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        ...(process.env.AWS_CA_BUNDLE ? { caBundle: process.env.AWS_CA_BUNDLE } : {}),
      }),
      visible: async () => {
        const objects = await s3client.send(new ListObjectsV2Command({ Bucket: 'conformance', Prefix: prefix }));
        const uploads = await s3client.send(new ListMultipartUploadsCommand({ Bucket: 'conformance', Prefix: prefix }));
        return [...(objects.Contents ?? []).map((o) => o.Key!), ...(uploads.Uploads ?? []).map((u) => `upload:${u.Key}`)].sort();
      },
    };
  },
  bufferBound: 2 * 8 * MiB,
});
