/**
 * The sink conformance suite for the vector sink on real indexes that can undo: LanceDB (a
 * directory) and Pinecone (the stand-in, through the real SDK), both journaling their runs. So
 * "abort leaves nothing" holds for them too. The embedder is a gated fake (to hold and break it);
 * what is "visible" is every id a reader of the index finds.
 */
import { after, before } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { LanceDbIndex, VectorSink, vectorTarget, type Embedder, type VectorIndex } from '../../../stages/sinks/vectors/index.js';
import { sinkConformance, SUITE_TABLES, type SinkSubject } from '../../support/sink-conformance.js';
import { startPineconeStandin, type PineconeStandin } from '../../support/standins/pinecone.js';

let pc: PineconeStandin;
let root: string;
let n = 0;

before(async () => {
  pc = await startPineconeStandin({ dimension: 4 });
  root = await mkdtemp(join(tmpdir(), 'sp-vconf-'));
});
after(async () => {
  await pc?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A vector sink over `index` with an embedder that can be held and broken. */
function subject(index: VectorIndex, visible: () => Promise<string[]>): SinkSubject {
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
  const specs = new Map(SUITE_TABLES.map((t) => [t.name, { text: (r: Record<string, unknown>) => String(r[t.columns[1]!.name]) }]));
  return {
    sink: new VectorSink({ embedder, index, specs, concurrency: 1, batchVectors: 16, embedBatch: 16 }),
    visible,
    hold: () => void (gates ??= []),
    release: () => {
      const g = gates ?? [];
      gates = undefined;
      g.forEach((f) => f());
    },
    breakNext: () => void (broken = true),
  };
}

sinkConformance('vectors (LanceDB directory)', {
  make: async () => {
    const dir = join(root, `lance-${++n}`);
    return subject(new LanceDbIndex({ dir }), async () => {
      const db = await lancedb.connect(dir);
      try {
        const ids: string[] = [];
        for (const name of await db.tableNames()) {
          const t = await db.openTable(name);
          ids.push(...(await t.query().select(['id']).toArray()).map((r: { id: string }) => `${name}/${r.id}`));
          t.close();
        }
        return ids.sort();
      } finally {
        db.close();
      }
    });
  },
  // Rows: two embedding groups in flight and one filling (3 × embedBatch), plus one write's rows.
  bufferBound: 64,
});

sinkConformance('vectors (Pinecone stand-in)', {
  make: async () => {
    pc.store.clear();
    const index = vectorTarget('pinecone://test-index', { PINECONE_API_KEY: pc.apiKey, PINECONE_CONTROLLER_HOST: pc.controllerHostUrl }, { stateDir: join(root, `pc-${++n}`) });
    return subject(index, async () => [...pc.store].flatMap(([ns, m]) => [...m.keys()].map((id) => `${ns}/${id}`)).sort());
  },
  bufferBound: 64,
});
