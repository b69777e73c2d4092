import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { makePlan, buildRunInfo, parseManifest, type Sink } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { verify } from '../../../src/verify.js';
import { CsvSink } from '../../../stages/sinks/csv/index.js';
import { shapes } from '../../fixtures/datasets/shapes.js';

const SHAPES = fileURLToPath(new URL('../../fixtures/datasets/shapes.ts', import.meta.url));

async function runTo(dir: string, opts: { workers?: number; shard?: { index: number; count: number }; gzip?: boolean; extraSinks?: Sink[] } = {}) {
  const planOptions = { profile: 'medium', ...(opts.shard ? { shard: opts.shard } : {}) };
  const plan = makePlan(shapes(), planOptions);
  return runPlan({
    plan,
    run: buildRunInfo(plan),
    sinks: [...(opts.extraSinks ?? []), new CsvSink({ dir, ...(opts.gzip ? { gzip: true } : {}) })],
    workers: opts.workers ?? 1,
    worker: { modulePath: SHAPES, planOptions },
    batchRows: 97,
  });
}

async function tableFiles(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of (await readdir(dir)).sort()) if (f.endsWith('.csv') && f !== 'metadata.csv') out.set(f, await readFile(join(dir, f)));
  return out;
}

test('workers 1 and 4 write byte-identical table files, with manifest and metadata', async () => {
  const a = await mkdtemp(join(tmpdir(), 'sp-w1-'));
  const b = await mkdtemp(join(tmpdir(), 'sp-w4-'));
  try {
    await runTo(a, { workers: 1 });
    await runTo(b, { workers: 4 });
    const fa = await tableFiles(a);
    assert.deepEqual([...fa.keys()], ['accounts.csv', 'memberships.csv', 'plans.csv', 'readings.csv', 'users.csv']);
    assert.deepEqual(await tableFiles(b), fa);
    const m = parseManifest(await readFile(join(a, 'manifest.json'), 'utf8'), a);
    assert.equal(m.dataset, 'shapes');
    assert.equal(m.seed, 7);
    assert.match(m.versions.faker, /^\d+\.\d+\.\d+/);
    const accounts = m.files.find((f) => f.table === 'accounts')!;
    assert.equal(accounts.rows, 200);
    assert.equal(accounts.bytes, fa.get('accounts.csv')!.length);
    assert.match((await readFile(join(a, 'metadata.csv'), 'utf8')).split('\n')[0]!, /^table,file,rows,bytes,sha256/);
    const report = await verify(a);
    assert.ok(report.ok, JSON.stringify(report.files.filter((f) => !f.ok)));
    assert.deepEqual((await readdir(a)).filter((f) => f.startsWith('.')), [], 'no temporary files left');
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
  }
});

test('shard part files concatenate (minus headers) to the single run', async () => {
  const whole = await mkdtemp(join(tmpdir(), 'sp-whole-'));
  const parts = await mkdtemp(join(tmpdir(), 'sp-parts-'));
  try {
    await runTo(whole);
    for (let k = 0; k < 3; k++) await runTo(parts, { shard: { index: k, count: 3 } });
    const w = await tableFiles(whole);
    const p = await tableFiles(parts);
    for (const [file, bytes] of w) {
      const table = file.replace('.csv', '');
      const [header, ...body] = bytes.toString().split(/(?<=\n)/);
      const joined = [0, 1, 2].map((k) => p.get(`${table}.part-${k}-of-3.csv`)!.toString().split(/(?<=\n)/).slice(1).join('')).join('');
      assert.equal(joined, body.join(''), file);
      assert.equal(p.get(`${table}.part-1-of-3.csv`)!.toString().split('\n')[0] + '\n', header);
    }
  } finally {
    await rm(whole, { recursive: true, force: true });
    await rm(parts, { recursive: true, force: true });
  }
});

test('gzip files decompress to the plain bytes, and verify checks them', async () => {
  const plain = await mkdtemp(join(tmpdir(), 'sp-plain-'));
  const gz = await mkdtemp(join(tmpdir(), 'sp-gz-'));
  try {
    await runTo(plain);
    await runTo(gz, { gzip: true });
    const g = gunzipSync(await readFile(join(gz, 'readings.csv.gz')));
    assert.deepEqual(g, await readFile(join(plain, 'readings.csv')));
    assert.ok((await verify(gz)).ok);
  } finally {
    await rm(plain, { recursive: true, force: true });
    await rm(gz, { recursive: true, force: true });
  }
});

test('a failure mid-run leaves no file behind (and an earlier complete run untouched)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sp-fail-'));
  try {
    await runTo(dir);
    const before = await tableFiles(dir);
    const manifest = await readFile(join(dir, 'manifest.json'));
    let writes = 0;
    const failing: Sink = {
      name: 'failing',
      input: () => ({}),
      open: async () => undefined,
      table: async () => ({
        write: async () => {
          if (++writes === 5) throw new Error('disk on fire');
        },
        close: async () => ({ table: 'x', rows: 0, bytes: 0 }),
      }),
      commit: async () => ({ sink: 'failing', location: '-', tables: [] }),
      abort: async () => undefined,
    };
    await assert.rejects(runTo(dir, { extraSinks: [failing] }), /disk on fire/);
    assert.deepEqual(await tableFiles(dir), before);
    assert.deepEqual(await readFile(join(dir, 'manifest.json')), manifest);
    assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('.')), [], 'temporary files removed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
