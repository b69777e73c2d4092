/**
 * One conformance suite for every sink (the kit's promises, checked against each implementation):
 * exactly one completion; abort at any point — before open, after open, mid-table, after close,
 * after commit — leaves nothing (or, for a sink that cannot undo, writes nothing more); abort is
 * idempotent; a slow destination slows `write` (no unbounded buffering); destination failures
 * surface as SeedpipeErrors with a code. Batches are made as the pipeline makes them: the encoding
 * the sink declares (from the standard encoders) and row values when it asks.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError, type RunInfo, type Sink, type SinkBatch, type TableInfo, type TableWriter, type Values } from '../../src/index.js';
import { ENCODERS } from './pipeline.js';
import { streamFor } from './streams.js';

export interface SinkSubject {
  sink: Sink;
  /** What the destination shows other readers now, as sorted strings (files, objects, committed rows, vectors); empty = nothing. */
  visible(): Promise<string[]>;
  /** Makes the destination accept nothing until `release` (a slow server, disk or index). */
  hold?(): void;
  release?(): void;
  /** Makes the destination's next operation fail with a raw (non-seedpipe) error (or drops it: a terminated connection). */
  breakNext?(): void | Promise<void>;
}

export interface SinkHarness {
  /** A fresh sink over a fresh (empty) destination. */
  make(): Promise<SinkSubject>;
  /** Whether abort undoes rows already written (false for a vector index: upserts stay). Default true. */
  undoesWrites?: boolean;
  /** Bytes (or rows, for a rows-only sink) a held destination may take before `write` stops resolving. */
  bufferBound: number;
  /** The run's tables (default: `items(id, name, secret hidden)` and `notes(id, body)`). */
  tables?: readonly TableInfo[];
}

const col = (name: string, type: 'bigint' | 'text', extra: { exported?: boolean; nullable?: boolean } = {}) => ({ name, type, nullable: extra.nullable ?? type === 'text', exported: extra.exported ?? true, deferred: false });
export const SUITE_TABLES: readonly TableInfo[] = [
  { name: 'items', columns: [col('id', 'bigint'), col('name', 'text'), col('secret', 'text', { exported: false })], primaryKey: ['id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 },
  { name: 'notes', columns: [col('id', 'bigint'), col('body', 'text')], primaryKey: ['id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 },
];

export function suiteRun(tables: readonly TableInfo[]): RunInfo {
  return {
    dataset: 'conformance', seed: 1, profile: 'light', scale: 1, refDate: '2025-01-01T00:00:00.000Z', startedAt: '2025-02-03T04:05:06.000Z',
    versions: { seedpipe: '0.0.0-test', faker: 'test', node: process.version }, tables,
  };
}

/** Rows [start, start + count) of a suite table; `width` pads the text columns (to fill buffers). */
export function rowsOf(info: TableInfo, start: number, count: number, width = 8): Values[] {
  return Array.from({ length: count }, (_, k) => info.columns.map((c, j) => (j === 0 ? start + k + 1 : `${c.name}-${start + k}-${'x'.repeat(width)}`)));
}

/** The batch the pipeline would hand `sink` for these rows. */
export function batchFor(sink: Sink, info: TableInfo, start: number, rows: Values[]): SinkBatch {
  const want = sink.input(info);
  const bytes = want.format ? ENCODERS.find((e) => e.format === want.format)!.forTable(info).encode(rows, start) : Buffer.alloc(0);
  return { table: info.name, start, count: rows.length, rows: want.rows ? rows : undefined, bytes };
}

async function writeAll(s: Sink, info: TableInfo, count = 5): Promise<TableWriter> {
  const w = await s.table(info, streamFor(s, info));
  await w.write(batchFor(s, info, 0, rowsOf(info, 0, count)));
  return w;
}

async function loadAll(subject: SinkSubject, tables: readonly TableInfo[]) {
  const { sink } = subject;
  await sink.open(suiteRun(tables));
  const results = [];
  for (const t of tables) results.push(await (await writeAll(sink, t)).close());
  return results;
}

/** `isSeedpipeError` with a code, for `assert.rejects`. */
function coded(e: unknown): boolean {
  assert.ok(isSeedpipeError(e), `a SeedpipeError, got ${String(e)}`);
  assert.match(e.code, /^[A-Z0-9_]+$/);
  return true;
}

const settle = async (turns = 30) => {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
};

export function sinkConformance(name: string, h: SinkHarness): void {
  const tables = h.tables ?? SUITE_TABLES;
  const undoes = h.undoesWrites !== false;

  describe(`sink conformance: ${name}`, () => {
    test('exactly one completion: commit makes the data visible once; a second commit is refused; abort after commit changes nothing', async () => {
      const s = await h.make();
      const results = await loadAll(s, tables);
      const summary = await s.sink.commit(results);
      assert.equal(summary.sink, s.sink.name);
      const after = await s.visible();
      assert.ok(after.length > 0, 'the committed data is visible');
      await assert.rejects(s.sink.commit(results), coded);
      await s.sink.abort(new Error('late abort'));
      assert.deepEqual(await s.visible(), after);
    });

    test('abort before open leaves nothing, and the sink then refuses to open', async () => {
      const s = await h.make();
      await s.sink.abort(new Error('never started'));
      assert.deepEqual(await s.visible(), []);
      await assert.rejects(s.sink.open(suiteRun(tables)), coded);
      assert.deepEqual(await s.visible(), []);
    });

    test('abort after open leaves nothing', async () => {
      const s = await h.make();
      await s.sink.open(suiteRun(tables));
      await s.sink.abort(new Error('stop'));
      assert.deepEqual(await s.visible(), []);
      await assert.rejects(s.sink.commit([]), coded);
    });

    test(`abort mid-table ${undoes ? 'leaves nothing' : 'stops the sink: nothing more is written'}; concurrent and repeated aborts share one undo`, async () => {
      const s = await h.make();
      await s.sink.open(suiteRun(tables));
      const w = await writeAll(s.sink, tables[0]!);
      await Promise.all([s.sink.abort(new Error('mid-table')), s.sink.abort(new Error('again'))]);
      await s.sink.abort(new Error('and again'));
      const left = await s.visible();
      if (undoes) assert.deepEqual(left, []);
      await assert.rejects(w.write(batchFor(s.sink, tables[0]!, 5, rowsOf(tables[0]!, 5, 5))));
      assert.deepEqual(await s.visible(), left, 'nothing written after abort');
      await assert.rejects(s.sink.commit([]), coded);
    });

    test('abort after every table closed (before commit) leaves nothing', async () => {
      const s = await h.make();
      await loadAll(s, tables);
      await s.sink.abort(new Error('another sink failed'));
      if (undoes) assert.deepEqual(await s.visible(), []);
      await assert.rejects(s.sink.commit([]), coded);
    });

    test('backpressure: with the destination held, write stops resolving within the stated buffer; releasing it finishes the table', { timeout: 60_000 }, async (t) => {
      const s = await h.make();
      if (!s.hold || !s.release) return t.skip('no way to hold this destination');
      const info = tables[tables.length - 1]!;
      await s.sink.open(suiteRun(tables));
      const w = await s.sink.table(info, streamFor(s.sink, info));
      s.hold();
      let accepted = 0;
      let blocked: Promise<void> | undefined;
      for (let i = 0; i < 10_000 && !blocked; i++) {
        const b = batchFor(s.sink, info, i * 64, rowsOf(info, i * 64, 64, 1000));
        let done = false;
        const p = w.write(b).then(() => void (done = true));
        p.catch(() => undefined);
        await settle();
        if (done) accepted += b.bytes.length || b.count;
        else blocked = p;
        assert.ok(accepted <= h.bufferBound, `${accepted} accepted while held, bound ${h.bufferBound}`);
      }
      assert.ok(blocked, 'a write stayed pending while the destination was held');
      s.release();
      await blocked;
      await w.close();
      await s.sink.abort(new Error('done'));
    });

    test('a destination failure surfaces as a SeedpipeError with a code; abort then leaves nothing', async (t) => {
      const s = await h.make();
      if (!s.breakNext) return t.skip('no way to break this destination');
      await s.sink.open(suiteRun(tables));
      const info = tables[0]!;
      const w = await s.sink.table(info, streamFor(s.sink, info));
      await s.breakNext();
      await assert.rejects(
        (async () => {
          for (let i = 0; i < 50; i++) await w.write(batchFor(s.sink, info, i * 5, rowsOf(info, i * 5, 5)));
          await w.close();
          await s.sink.commit([]);
        })(),
        coded,
      );
      await s.sink.abort(new Error('failed'));
      if (undoes) assert.deepEqual(await s.visible(), []);
    });
  });
}
