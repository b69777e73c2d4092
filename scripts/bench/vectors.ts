/**
 * Vector sink throughput, vectors/s:
 *  (a) local hashing embedder → LanceDB on disk (no network);
 *  (b) OpenAI stand-in → Pinecone stand-in, each answering after a fixed latency, at several
 *      concurrencies (real SDKs, real HTTP on 127.0.0.1).
 * The stand-ins run in this process, so (b) shares the CPU with them: read ratios between rows,
 * not absolute numbers. Run: `node --import tsx scripts/bench/vectors.ts [--quick]`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LanceDbIndex, LocalEmbedder, VectorSink, makeEmbedder, vectorTarget, type EmbedSpec } from '../../stages/sinks/vectors/index.js';
import { articleBatch, articlesTable, runInfo } from '../../stages/sinks/vectors/fixtures.js';
import { startOpenAIStandin } from '../../test/support/standins/openai.js';
import { startPineconeStandin } from '../../test/support/standins/pinecone.js';

export interface VectorBenchRow {
  scenario: string;
  vectors: number;
  seconds: number;
  vectorsPerSec: number;
  embeddingRequests: number;
  upsertRequests: number;
  /** Process peak RSS so far, MB (monotonic over the run). */
  peakRssMb: number;
}

export interface VectorBenchOptions {
  /** Texts for the local → LanceDB scenario. Default 20,000. */
  localTexts?: number;
  /** Texts for the stand-in scenarios. Default 5,000. */
  remoteTexts?: number;
  /** Stand-in latency per request, ms. Default 50. */
  latencyMs?: number;
  /** Concurrencies of the stand-in scenarios. Default [1, 4, 16]. */
  concurrencies?: number[];
  /** Dimensions of the stand-in scenarios. Default 1536 (text-embedding-3-small). */
  remoteDimensions?: number;
}

const spec: EmbedSpec = {
  text: (r) => `${String(r.title)}\n${String(r.body)}`,
  metadata: (r) => ({ title: r.title, author_id: r.author_id }),
};

async function feed(sink: VectorSink, rows: number): Promise<number> {
  const info = articlesTable(rows);
  await sink.open(runInfo([info]));
  const w = await sink.table(info);
  for (let s = 0; s < rows; s += 4096) await w.write(articleBatch(s, Math.min(4096, rows - s)));
  const res = await w.close();
  await sink.commit([res]);
  return res.rows;
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function localToLance(texts: number, batchVectors: number): Promise<VectorBenchRow> {
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-bench-lance-'));
  try {
    const index = new LanceDbIndex({ dir });
    const sink = new VectorSink({ embedder: new LocalEmbedder(), index, specs: new Map([['articles', spec]]), batchVectors });
    const t0 = performance.now();
    const n = await feed(sink, texts);
    const seconds = (performance.now() - t0) / 1000;
    const stats = index.stats();
    await index.close();
    return { scenario: `local-384 → lancedb, batch ${batchVectors}`, vectors: n, seconds, vectorsPerSec: n / seconds, embeddingRequests: 0, upsertRequests: stats.requests, peakRssMb: peakRssMb() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function localEmbedOnly(texts: number): Promise<VectorBenchRow> {
  const e = new LocalEmbedder();
  const rows = articleBatch(0, texts).rows!.map((r) => `${String(r[1])}\n${String(r[2])}`);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 1000) await e.embed(rows.slice(i, i + 1000));
  const seconds = (performance.now() - t0) / 1000;
  return { scenario: 'local-384 embed only', vectors: texts, seconds, vectorsPerSec: texts / seconds, embeddingRequests: 0, upsertRequests: 0, peakRssMb: peakRssMb() };
}

async function standins(texts: number, concurrency: number, latencyMs: number, dims: number): Promise<VectorBenchRow> {
  const oa = await startOpenAIStandin({ latencyMs });
  const pc = await startPineconeStandin({ dimension: dims, latencyMs });
  try {
    const embedder = makeEmbedder('openai:text-embedding-3-small', { apiKey: oa.apiKey, baseURL: oa.baseURL, dimensions: dims, concurrency });
    const index = vectorTarget('pinecone://test-index', { PINECONE_API_KEY: pc.apiKey, PINECONE_CONTROLLER_HOST: pc.controllerHostUrl }, { concurrency });
    const sink = new VectorSink({ embedder, index, specs: new Map([['articles', spec]]), concurrency, batchVectors: 100 });
    const t0 = performance.now();
    const n = await feed(sink, texts);
    const seconds = (performance.now() - t0) / 1000;
    if (pc.count('articles') !== n) throw new Error(`stand-in holds ${pc.count('articles')} vectors, expected ${n}`);
    return {
      scenario: `openai → pinecone stand-ins, ${dims} dims, ${latencyMs} ms, concurrency ${concurrency}`,
      vectors: n,
      seconds,
      vectorsPerSec: n / seconds,
      embeddingRequests: oa.requests.length,
      upsertRequests: pc.requests.filter((r) => r.path === '/vectors/upsert').length,
      peakRssMb: peakRssMb(),
    };
  } finally {
    await oa.close();
    await pc.close();
  }
}

export async function benchVectors(opts: VectorBenchOptions = {}): Promise<VectorBenchRow[]> {
  const localTexts = opts.localTexts ?? 20_000;
  const remoteTexts = opts.remoteTexts ?? 5_000;
  const latency = opts.latencyMs ?? 50;
  const dims = opts.remoteDimensions ?? 1536;
  const rows: VectorBenchRow[] = [];
  rows.push(await localEmbedOnly(localTexts));
  rows.push(await localToLance(localTexts, 100));
  rows.push(await localToLance(localTexts, 1000));
  for (const c of opts.concurrencies ?? [1, 4, 16]) rows.push(await standins(remoteTexts, c, latency, dims));
  return rows;
}

export function formatVectorBench(rows: readonly VectorBenchRow[]): string {
  const head = ['scenario', 'vectors', 's', 'vectors/s', 'embed req', 'upsert req', 'peak RSS MB'];
  const body = rows.map((r) => [r.scenario, String(r.vectors), r.seconds.toFixed(2), Math.round(r.vectorsPerSec).toLocaleString('en-US'), String(r.embeddingRequests), String(r.upsertRequests), String(r.peakRssMb)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const rows = await benchVectors(quick ? { localTexts: 2000, remoteTexts: 500 } : {});
  console.log(formatVectorBench(rows));
}
