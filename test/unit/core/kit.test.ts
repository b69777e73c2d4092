/** The sink kit on its own: lifecycle, part-file names, manifest merge, drain waits, the meter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import { ByteMeter, drained, mergeShardManifests, partFileName, partFileNames, SinkLifecycle, writeChunk, type ManifestFile, type RunInfo } from '../../../src/stage-kit.js';

test('lifecycle: a failing commit aborts (undo runs once) and rethrows; a failing undo is retried by the next abort', async () => {
  let undos = 0;
  let failUndo = true;
  const life = new SinkLifecycle({ sink: 'test', undo: async () => { undos++; if (failUndo) throw new Error('undo failed'); } });
  await life.open(async () => undefined);
  await assert.rejects(life.commit(async () => { throw new Error('disk full'); }), /disk full/);
  assert.equal(life.state, 'aborted');
  assert.equal(undos, 1);
  await assert.rejects(life.abort(new Error('again')), /undo failed/);
  assert.equal(life.undone, 'not everything could be undone: undo failed', 'undone says what the failed undo left');
  failUndo = false;
  await life.abort(new Error('and again'));
  assert.equal(undos, 3);
  assert.equal(life.undone, undefined, 'a successful retry replaces it');
  await life.abort(new Error('done'));
  assert.equal(undos, 3, 'a successful undo is not repeated');
  await assert.rejects(life.commit(async () => 1), (e: Error & { code?: string }) => e.code === 'SINK_STATE' && /aborted \(disk full\)/.test(e.message));
});

test('lifecycle: an abort during commit waits for it; once committed there is nothing to undo', async () => {
  let undos = 0;
  let finish!: () => void;
  const life = new SinkLifecycle({ sink: 'test', stateCode: 'X_STATE', undo: async () => void undos++ });
  await life.open(async () => undefined);
  const committing = life.commit(() => new Promise<string>((r) => { finish = () => r('ok'); }));
  const aborting = life.abort(new Error('late'));
  await assert.rejects(life.commit(async () => 'twice'), { code: 'X_STATE' });
  finish();
  assert.equal(await committing, 'ok');
  await aborting;
  assert.equal(undos, 0);
  assert.equal(life.state, 'committed');
});

test('lifecycle: an abort during commit interrupts it; a commit that then fails is undone, and undone says what the undo did', async () => {
  let stop!: (e: Error) => void;
  const interrupts: unknown[] = [];
  const life = new SinkLifecycle({ sink: 'test', undo: async () => 'rolled back', interrupt: (r) => { interrupts.push(r); stop(new Error('canceled')); } });
  await life.open(async () => undefined);
  const committing = life.commit(() => new Promise<string>((_, reject) => { stop = reject; }));
  const reason = new Error('SIGINT');
  await life.abort(reason);
  await assert.rejects(committing, /canceled/);
  assert.deepEqual(interrupts, [reason]);
  assert.equal(life.state, 'aborted');
  assert.equal(life.undone, 'rolled back');
});

test('lifecycle: a failing open undoes what it did; open runs once', async () => {
  let undos = 0;
  const life = new SinkLifecycle({ sink: 'test', undo: async () => void undos++ });
  await assert.rejects(life.open(async () => { throw new Error('no access'); }), /no access/);
  assert.equal(undos, 1);
  await assert.rejects(life.open(async () => undefined), { code: 'SINK_STATE' });
});

test('one shard part-file name, zero-padded to the count; the unpadded name of earlier releases is still found', () => {
  assert.equal(partFileName('users', '.csv'), 'users.csv');
  assert.equal(partFileName('users', '.csv.gz', { index: 3, count: 16 }), 'users.part-03-of-16.csv.gz');
  assert.equal(partFileName('manifest', '.json', { index: 1, count: 4 }), 'manifest.part-1-of-4.json');
  assert.deepEqual(partFileNames('manifest', '.json', { index: 3, count: 16 }), ['manifest.part-03-of-16.json', 'manifest.part-3-of-16.json']);
  assert.deepEqual(partFileNames('manifest', '.json', { index: 12, count: 16 }), ['manifest.part-12-of-16.json']);
});

test('manifest merge: table order, then part order; missing shards listed; another split of the folder ignored', () => {
  const tables = ['users', 'posts'].map((name) => ({ name, columns: [], primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0 }));
  const run: RunInfo = { dataset: 'd', seed: 1, profile: 'p', scale: 1, refDate: 'r', startedAt: '2025-01-01T00:00:00.000Z', versions: { seedpipe: '0', faker: '0', node: 'v' }, shard: { index: 0, count: 12 }, tables };
  const file = (table: string, k: number): ManifestFile => ({ table, file: partFileName(table, '.csv', { index: k, count: 12 }), rows: 1, bytes: 1, sha256: 'x' });
  const shards = [11, 2, 10].map((k) => ({ shard: { index: k, count: 12 }, compression: 'none' as const, files: [file('posts', k), file('users', k)] }));
  const stray = { shard: { index: 0, count: 2 }, compression: 'none' as const, files: [file('users', 99)] };
  const { manifest, missing } = mergeShardManifests(run, [...shards, stray], 12, new Date('2025-01-01T00:01:00Z'));
  assert.deepEqual(missing, [0, 1, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(manifest.files.map((f) => f.file), ['users.part-02-of-12.csv', 'users.part-10-of-12.csv', 'users.part-11-of-12.csv', 'posts.part-02-of-12.csv', 'posts.part-10-of-12.csv', 'posts.part-11-of-12.csv']);
  assert.equal(manifest.shard, undefined, 'the whole run');
  assert.equal(manifest.durationMs, 60_000);
});

test('drained: waits for drain; rejects when the stream closes or the destination fails first', async () => {
  const slow = new Writable({ highWaterMark: 4, write: (_c, _e, cb) => setTimeout(cb, 5) });
  await writeChunk(slow, Buffer.from('0123456789'));
  const closing = new PassThrough({ highWaterMark: 4 });
  closing.write('0123456789');
  const waiting = drained(closing);
  closing.destroy();
  await assert.rejects(waiting, { code: 'STREAM_CLOSED' });
  const stuck = new PassThrough({ highWaterMark: 4 });
  stuck.write('0123456789');
  await assert.rejects(drained(stuck, Promise.reject(new Error('upload failed'))), /upload failed/);
  stuck.destroy();
  await assert.rejects(drained(stuck), { code: 'STREAM_CLOSED' }, 'a destroyed stream never drains: no wait at all');
});

test('meter: sha256 and bytes of what flows through, rows counted by the caller', async () => {
  const m = new ByteMeter();
  const s = m.stream();
  s.resume();
  s.write(Buffer.from('a,b\n'));
  s.end(Buffer.from('c,d\n'));
  await new Promise((r) => s.on('end', r));
  assert.equal(m.bytes, 8);
  assert.equal(m.sha256(), createHash('sha256').update('a,b\nc,d\n').digest('hex'));
  assert.equal(m.sha256(), m.sha256(), 'final and stable');
});
