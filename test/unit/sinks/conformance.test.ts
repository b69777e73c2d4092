/**
 * The sink conformance suite against every sink, each over the fake of its destination (no I/O):
 * Postgres and the shard loader over FakePg (its transactions decide what is visible), S3 over the
 * in-memory S3, vectors over an in-memory index with a gated embedder. The CSV sink and the real
 * servers run the same suite in test/integration/sinks.
 */
import { PostgresSink, ShardLoadSink } from '../../../stages/sinks/postgres/index.js';
import { S3Sink } from '../../../stages/sinks/s3/index.js';
import { VectorSink, type Embedder, type VectorIndex, type VectorRecord } from '../../../stages/sinks/vectors/index.js';
import { sinkConformance, SUITE_TABLES, type SinkSubject } from '../../support/sink-conformance.js';
import { FakePg } from '../postgres/fake-pg.js';
import { fakeS3 } from '../s3/fake-s3.js';

const LOCAL = 'postgres://me:secret@127.0.0.1:5432/app';
const MiB = 1024 * 1024;

function pgSubject(make: (fake: FakePg) => PostgresSink | ShardLoadSink, prepared = false): SinkSubject {
  const fake = new FakePg();
  fake.tables = [...SUITE_TABLES];
  fake.prepared = prepared;
  return {
    sink: make(fake),
    visible: async () => [...fake.committed].sort(),
    hold: () => fake.hold(),
    release: () => fake.release(),
    breakNext: () => fake.failNext(Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' })),
  };
}

sinkConformance('postgres (FakePg)', {
  make: async () => pgSubject((fake) => new PostgresSink({ url: LOCAL, yes: true, connect: async () => fake.client() })),
  // The COPY stream's 1 MiB highWaterMark, one batch, the fake socket's 1 KiB.
  bufferBound: 1.5 * MiB,
});

sinkConformance('postgres shard loader (FakePg)', {
  make: async () => pgSubject((fake) => new ShardLoadSink({ url: LOCAL, connect: async () => fake.client() }), true),
  // pg-copy-streams' default highWaterMark (16 KiB), one batch, the fake socket's 1 KiB.
  bufferBound: 256 * 1024,
});

sinkConformance('s3 (in-memory S3)', {
  make: async () => {
    let held: (() => void)[] | undefined;
    let broken = false;
    const fake = fakeS3({
      fail: async (call) => {
        if (broken && call.name !== 'AbortMultipartUpload' && !call.name.startsWith('List') && call.name !== 'DeleteObject') {
          broken = false;
          throw fake.s3Error('InternalError', 500);
        }
        if (held && call.name === 'UploadPart') await new Promise<void>((r) => held!.push(r));
      },
    });
    const sink = new S3Sink({ url: 's3://bucket/conformance', partSizeBytes: 5 * MiB, queueSize: 1 }, { client: fake.client });
    return {
      sink,
      // Objects and multipart uploads in progress (orphan parts count as left behind).
      visible: async () => [...fake.objects.keys(), ...[...fake.uploads.values()].map((u) => `upload:${u.key}`)].sort(),
      hold: () => void (held ??= []),
      release: () => {
        const h = held ?? [];
        held = undefined;
        h.forEach((f) => f());
      },
      breakNext: () => void (broken = true),
    };
  },
  // lib-storage: partSize × (queueSize + 1), plus the streams' buffers.
  bufferBound: 2 * 5 * MiB + MiB,
});

sinkConformance('vectors (in-memory index)', {
  make: async () => {
    const records = new Map<string, VectorRecord>();
    let gates: (() => void)[] | undefined;
    let broken = false;
    const embedder: Embedder = {
      id: 'fake:conformance',
      dimensions: 4,
      async embed(texts, signal) {
        if (gates) await new Promise<void>((resolve, reject) => {
          gates!.push(resolve);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
        if (broken) {
          broken = false;
          throw new Error('embedding service returned garbage');
        }
        return texts.map((t) => Float32Array.from([t.length, 1, 2, 3]));
      },
    };
    const index: VectorIndex = {
      location: 'memory://conformance',
      async upsert(namespace, recs) {
        for (const r of recs) records.set(`${namespace}/${r.id}`, r);
      },
    };
    const specs = new Map(SUITE_TABLES.map((t) => [t.name, { text: (r: Record<string, unknown>) => String(r[t.columns[1]!.name]) }]));
    return {
      sink: new VectorSink({ embedder, index, specs, concurrency: 1, batchVectors: 16, embedBatch: 16 }),
      visible: async () => [...records.keys()].sort(),
      hold: () => void (gates ??= []),
      release: () => {
        const g = gates ?? [];
        gates = undefined;
        g.forEach((f) => f());
      },
      breakNext: () => void (broken = true),
    };
  },
  // Upserts cannot be rolled back: vectors written before an abort stay (ids are deterministic, a re-run overwrites them).
  undoesWrites: false,
  // Rows: two embedding groups in flight and one filling (3 × embedBatch), plus one write's rows.
  bufferBound: 64,
});
