/** runPipeline with in-memory stages: order, encodings made once, what each sink receives, backpressure, failure, transforms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPipeline, isSeedpipeError, type TableInfo, type Transform, type Values } from '../../../src/index.js';
import type { Batch, Sink, Source, SourceSet } from '../../../src/contracts.js';
import { ArraySources, CountingEncoder, RecordingSink, info, runOf } from '../../support/fake-stages.js';

const users = info('users', ['id', 'email', 'hash'], { hidden: ['hash'] });
const posts = info('posts', ['id', 'user_id', 'title']);
const rowsOf = (n: number, f: (i: number) => Values): Values[] => Array.from({ length: n }, (_, i) => f(i));
const data = () => [
  { info: users, rows: rowsOf(10, (i) => [i + 1, `u${i}@example.com`, `h${i}`]) },
  { info: posts, rows: rowsOf(25, (i) => [i + 1, (i % 10) + 1, `post ${i}`]) },
];
/** `all` encodes every column, `exported` only the exported ones. */
const encoders = () => ({
  all: new CountingEncoder('all'),
  exported: new CountingEncoder('exported', (t) => t.columns.map((c, j) => (c.exported ? j : -1)).filter((j) => j >= 0)),
});

test('tables in source order, batches in order; sinks open and commit in order; writers open before and close after their batches', async () => {
  const a = new RecordingSink('a', { format: 'all' });
  const b = new RecordingSink('b', {});
  const e = encoders();
  const out = await runPipeline({ run: runOf([users, posts]), sources: new ArraySources(data()), encoders: [e.all, e.exported], sinks: [a, b], batchRows: 4 });
  assert.deepEqual(out.tables.map((t) => [t.table, t.rows]), [['users', 10], ['posts', 25]]);
  assert.deepEqual(out.sinks.map((s) => s.sink), ['a', 'b']);
  const ev = a.rec.events;
  assert.deepEqual(ev.slice(0, 2), ['a:open', 'a:table:users']);
  assert.deepEqual(ev.filter((x) => x.startsWith('a:write:users')), ['a:write:users:0', 'a:write:users:4', 'a:write:users:8']);
  assert.ok(ev.indexOf('a:close:users') < ev.indexOf('a:table:posts'));
  assert.equal(ev.at(-1), 'a:commit');
  assert.ok(b.rec.events.indexOf('b:open') > -1 && a.committed === 1 && b.committed === 1);
  assert.deepEqual(out.sinks[0]!.tables.map((t) => t.rows), [10, 25]);
});

test('each sink gets exactly what it declared: its encoding (with header and trailer), rows only when asked', async () => {
  const all = new RecordingSink('all', { format: 'all' });
  const rows = new RecordingSink('rows', { rows: true });
  const exported = new RecordingSink('exported', { format: 'exported', rows: true });
  const e = encoders();
  await runPipeline({ run: runOf([users]), sources: new ArraySources(data().slice(0, 1)), encoders: [e.all, e.exported], sinks: [all, rows, exported], batchRows: 100 });
  const [b] = all.rec.batches.get('users')!;
  assert.equal(b!.rows, undefined, 'no rows unless asked');
  assert.match(b!.bytes.toString(), /^1\|u0@example.com\|h0\n/);
  assert.equal(all.rec.streams.get('users')!.header.toString(), '# all users\n');
  assert.equal(all.rec.streams.get('users')!.trailer().toString(), '# end users\n');
  const [r] = rows.rec.batches.get('users')!;
  assert.equal(r!.rows!.length, 10);
  assert.equal(r!.bytes.length, 0, 'no encoding unless asked');
  assert.equal(rows.rec.streams.get('users')!.format, undefined);
  assert.doesNotMatch(exported.rec.batches.get('users')![0]!.bytes.toString(), /h0/, 'hidden column left out');
});

test('an encoding is made once per batch and shared by every sink that asked for it; equal identities share too', async () => {
  const e = encoders();
  const same = new CountingEncoder('same-bytes');
  const a = new RecordingSink('a', { format: 'all' });
  const b = new RecordingSink('b', { format: 'all' });
  const c = new RecordingSink('c', { format: 'same-bytes' });
  await runPipeline({ run: runOf([posts]), sources: new ArraySources(data().slice(1)), encoders: [e.all, same], sinks: [a, b, c], batchRows: 10 });
  assert.equal(e.all.encodeCalls, 3, 'three batches, one encoding each');
  assert.equal(same.encodeCalls, 0, 'same identity as `all`: not made again');
  const ba = a.rec.batches.get('posts')!;
  const bb = b.rec.batches.get('posts')!;
  const bc = c.rec.batches.get('posts')!;
  ba.forEach((x, i) => {
    assert.equal(x.bytes, bb[i]!.bytes, 'the same Buffer');
    assert.equal(x.bytes, bc[i]!.bytes);
  });
});

test('the fast path: encodings the source makes are used as they are, and rows are not requested', async () => {
  const e = encoders();
  const sources = new ArraySources(data(), { makesEncodings: true });
  const a = new RecordingSink('a', { format: 'all' });
  await runPipeline({ run: runOf([users, posts]), sources, encoders: [e.all], sinks: [a], batchRows: 8 });
  assert.equal(e.all.encodeCalls, 0);
  const req = sources.tables[0]!.requests[0]!;
  assert.equal(req.rows, false);
  assert.deepEqual(req.encode.map((x) => x.encoder.format), ['all']);
  assert.match(a.rec.batches.get('users')![0]!.bytes.toString(), /^1\|u0@example.com\|h0\n/);
});

test('backpressure: a slow sink holds the source; no batch is read ahead of the write in progress', async () => {
  const e = encoders();
  const sources = new ArraySources(data().slice(1));
  const slow = new RecordingSink('slow', { format: 'all' });
  slow.holding = true;
  const run = runPipeline({ run: runOf([posts]), sources, encoders: [e.all], sinks: [slow], batchRows: 1 });
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  assert.equal(sources.tables[0]!.yielded, 1, 'the source waits for the first write');
  assert.equal(slow.inFlight, 1);
  slow.holding = false;
  slow.release();
  await run;
  assert.equal(slow.maxInFlight, 1);
  assert.equal(slow.rec.batches.get('posts')!.length, 25);
});

test('a sink failing mid-table aborts every opened sink with that error; nothing commits; the sources close', async () => {
  const e = encoders();
  const sources = new ArraySources(data());
  const a = new RecordingSink('a', { format: 'all' });
  const b = new RecordingSink('b', { rows: true }, { failAt: 4 });
  await assert.rejects(runPipeline({ run: runOf([users, posts]), sources, encoders: [e.all], sinks: [a, b], batchRows: 5 }), /b failed at write 4/);
  for (const s of [a, b]) {
    assert.equal(s.committed, 0);
    assert.equal(s.aborted.length, 1);
    assert.match(String(s.aborted[0]), /b failed at write 4/);
  }
  assert.equal(sources.closed, 1);
});

test('a sink that cannot open: the ones opened before it are aborted, later ones never opened', async () => {
  const e = encoders();
  const a = new RecordingSink('a', {});
  const b = new RecordingSink('b', {}, { failOpen: true });
  const c = new RecordingSink('c', {});
  await assert.rejects(runPipeline({ run: runOf([users]), sources: new ArraySources(data().slice(0, 1)), encoders: [e.all], sinks: [a, b, c] }), /b cannot open/);
  assert.equal(a.aborted.length, 1);
  assert.equal(b.aborted.length, 1, 'the failing sink undoes its own half-open state');
  assert.deepEqual(c.rec.events, []);
  assert.equal(c.aborted.length, 0);
});

test('a format no encoder makes is refused before any sink opens; a failing source open closes it and opens no sink', async () => {
  const a = new RecordingSink('a', { format: 'parquet' });
  const sources = new ArraySources(data());
  await assert.rejects(runPipeline({ run: runOf([users, posts]), sources, encoders: [new CountingEncoder('all')], sinks: [a] }), (e: unknown) => isSeedpipeError(e) && e.code === 'ENCODER_UNKNOWN' && e.disposition === 'usage' && /parquet/.test(e.message));
  assert.deepEqual(a.rec.events, []);
  assert.equal(sources.closed, 1);
  const broken = new ArraySources(data(), { fail: new Error('no generator') });
  const b = new RecordingSink('b', {});
  await assert.rejects(runPipeline({ run: runOf([users, posts]), sources: broken, encoders: [], sinks: [b] }), /no generator/);
  assert.deepEqual(b.rec.events, []);
  assert.equal(broken.closed, 1);
});

/** Drops the hidden column and keeps even ids: a transform that changes both columns and rows. */
const dropHiddenKeepEven: Transform = {
  name: 'drop-hidden-keep-even',
  forTable(input: TableInfo) {
    const keep = input.columns.map((c, j) => (c.exported ? j : -1)).filter((j) => j >= 0);
    if (keep.length === input.columns.length) return null;
    return {
      info: { ...input, columns: keep.map((j) => input.columns[j]!) },
      apply: (rows: readonly Values[]) => rows.filter((r) => Number(r[0]) % 2 === 0).map((r) => keep.map((j) => r[j])),
    };
  },
};

test('transforms: a routed sink sees the transformed table (run, info, rows, bytes); others keep the source fast path', async () => {
  const e = encoders();
  const sources = new ArraySources(data(), { makesEncodings: true });
  const full = new RecordingSink('full', { format: 'all' });
  const masked = new RecordingSink('masked', { format: 'all', rows: true });
  await runPipeline({ run: runOf([users, posts]), sources, encoders: [e.all], sinks: [full, { sink: masked, transforms: [dropHiddenKeepEven] }], batchRows: 4 });
  assert.deepEqual(masked.rec.run!.tables.find((t) => t.name === 'users')!.columns.map((c) => c.name), ['id', 'email']);
  assert.deepEqual(masked.rec.infos.get('users')!.columns.map((c) => c.name), ['id', 'email']);
  const mb = masked.rec.batches.get('users')!;
  assert.deepEqual(mb.flatMap((b) => b.rows!.map((r) => r[0])), [2, 4, 6, 8, 10]);
  assert.deepEqual(mb.map((b) => b.count), [2, 2, 1]);
  assert.equal(mb.map((b) => b.bytes.toString()).join(''), '2|u1@example.com\n4|u3@example.com\n6|u5@example.com\n8|u7@example.com\n10|u9@example.com\n');
  assert.equal(full.rec.batches.get('users')!.map((b) => b.count).join(','), '4,4,2');
  assert.equal(sources.tables[0]!.requests[0]!.rows, true, 'rows for the transform');
  // posts has nothing hidden: the transform leaves it alone and both sinks share the source's bytes.
  assert.equal(masked.rec.batches.get('posts')![0]!.bytes, full.rec.batches.get('posts')![0]!.bytes);
  assert.equal(e.all.encodeCalls, 3, 'only the transformed users batches were encoded here');
});

test('an interrupt stops a write in flight: every opened sink is aborted with the signal\'s reason, nothing commits', async () => {
  const a = new RecordingSink('a', { format: 'all' });
  const b = new RecordingSink('b', {});
  a.holding = true; // the first write never finishes on its own
  const e = encoders();
  const ctl = new AbortController();
  const reason = new Error('interrupted by SIGINT');
  const run = runPipeline({ run: runOf([users, posts]), sources: new ArraySources(data()), encoders: [e.all, e.exported], sinks: [a, b], batchRows: 4, signal: ctl.signal });
  while (a.inFlight === 0) await new Promise((r) => setImmediate(r));
  ctl.abort(reason);
  await assert.rejects(run, (x) => x === reason);
  assert.deepEqual([a.aborted, b.aborted], [[reason], [reason]]);
  assert.equal(a.committed + b.committed, 0);
  a.release();
});

test('an interrupt after the first sink committed is ignored: the later sinks commit too', async () => {
  const ctl = new AbortController();
  const first = new RecordingSink('db', {});
  const files = new RecordingSink('files', {});
  const commit = first.commit.bind(first);
  first.commit = async (r) => {
    const out = await commit(r);
    ctl.abort(new Error('late'));
    return out;
  };
  const e = encoders();
  const out = await runPipeline({ run: runOf([users]), sources: new ArraySources(data().slice(0, 1)), encoders: [e.all], sinks: [first, files], signal: ctl.signal });
  assert.deepEqual(out.sinks.map((x) => x.sink), ['db', 'files']);
  assert.equal(files.aborted.length, 0);
});

test('files are staged before any sink commits; a failure after the database committed says what is committed and what is not', async () => {
  const db = new RecordingSink('postgres', {});
  const files = new RecordingSink('csv', {});
  const staged: string[] = [];
  (db as { stage?: () => Promise<void> }).stage = async () => void staged.push(`db staged, ${db.committed} commits`);
  (files as { stage?: () => Promise<void> }).stage = async () => void staged.push(`csv staged, ${db.committed} commits`);
  files.commit = async () => {
    throw new Error('ENOSPC: no space left on device');
  };
  const e = encoders();
  await assert.rejects(
    runPipeline({ run: runOf([users]), sources: new ArraySources(data().slice(0, 1)), encoders: [e.all], sinks: [db, files] }),
    (x: unknown) => {
      assert.ok(isSeedpipeError(x));
      assert.equal(x.code, 'RUN_PARTLY_COMMITTED');
      assert.match(x.message, /Committed: postgres \(10 rows in 1 table\(s\) at memory\)\. Not committed: csv\. Cause: ENOSPC/);
      return true;
    },
  );
  assert.deepEqual(staged, ['db staged, 0 commits', 'csv staged, 0 commits']);
  assert.equal(files.aborted.length, 1);
});

test('a failing stage aborts every sink before anything commits', async () => {
  const db = new RecordingSink('postgres', {});
  const files = new RecordingSink('csv', {});
  (files as { stage?: () => Promise<void> }).stage = async () => {
    throw new Error('ENOSPC');
  };
  const e = encoders();
  await assert.rejects(runPipeline({ run: runOf([users]), sources: new ArraySources(data().slice(0, 1)), encoders: [e.all], sinks: [db, files] }), /ENOSPC/);
  assert.equal(db.committed, 0);
  assert.deepEqual([db.aborted.length, files.aborted.length], [1, 1]);
});

test('with an interrupt signal, batches already written are not kept: memory stays flat however many batches a run has', async () => {
  // The collector, from a test without --expose-gc.
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const big = info('big', ['id']);
  const refs: WeakRef<object>[] = [];
  const source: Source = {
    info: big,
    rows: 64 * 100,
    encodes: () => true,
    async *batches(req) {
      for (let s = 0; s < 64 * 100; s += 100) {
        // Each batch carries 1 MB of bytes, as a generated batch does.
        const encoded = new Map(req.encode.map((e) => [e.encoder.format, Buffer.alloc(1 << 20)] as const));
        const batch: Batch = { table: 'big', start: s, count: 100, rows: undefined, encoded };
        refs.push(new WeakRef(batch));
        yield batch;
      }
    },
  };
  let stillHeld = -1;
  const e = encoders();
  const sink: Sink = {
    name: 'drop',
    input: () => ({ format: 'all' }),
    open: async () => undefined,
    table: async (t) => ({
      write: async (b) => {
        if (b.start !== 63 * 100) return;
        // Near the end of the run: every batch but the last few is garbage unless something holds it.
        await new Promise((r) => setImmediate(r));
        gc();
        stillHeld = refs.slice(0, 56).filter((r) => r.deref() !== undefined).length;
      },
      close: async () => ({ table: t.name, rows: 64 * 100, bytes: 0 }),
    }),
    commit: async (results) => ({ sink: 'drop', location: '', tables: results }),
    abort: async () => undefined,
  };
  const sources: SourceSet = { name: 'big', tables: [source] };
  await runPipeline({ run: runOf([big]), sources, encoders: [e.all], sinks: [sink], signal: new AbortController().signal });
  assert.equal(stillHeld, 0, `${stillHeld} of the first 56 batches were still reachable during the run`);
});
