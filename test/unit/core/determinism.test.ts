import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { makePlan, type Plan } from '../../../src/plan/plan.js';
import { World } from '../../../src/generate/world.js';
import { BatchMaker } from '../../../src/pipeline/batches.js';
import { shapes } from '../../fixtures/datasets/shapes.js';
import { parse } from 'csv-parse/sync';

/** CSV bytes of every table, generated with the given batch size. */
function tableBytes(plan: Plan, batch: number): Map<string, string> {
  const maker = new BatchMaker(new World(plan.resolved));
  const out = new Map<string, string>();
  for (const t of plan.tables) {
    const parts: Buffer[] = [];
    for (let s = t.start; s < t.end; s += batch) parts.push(maker.make(t.info, s, Math.min(t.end, s + batch), false).csv);
    out.set(t.name, Buffer.concat(parts).toString('utf8'));
  }
  return out;
}

test('same seed: identical bytes whatever the batch size; a different seed: different data', () => {
  const a = tableBytes(makePlan(shapes(), { profile: 'light' }), 4096);
  const b = tableBytes(makePlan(shapes(), { profile: 'light' }), 7);
  assert.deepEqual(b, a);
  const c = tableBytes(makePlan(shapes(), { profile: 'light', seed: 8 }), 4096);
  assert.notEqual(c.get('accounts'), a.get('accounts'));
  assert.notEqual(c.get('readings'), a.get('readings'));
});

test('shards concatenated in order equal the single run, for every table shape', () => {
  const whole = tableBytes(makePlan(shapes(), { profile: 'medium' }), 1000);
  for (const n of [2, 3, 5]) {
    const parts = Array.from({ length: n }, (_, k) => tableBytes(makePlan(shapes(), { profile: 'medium', shard: { index: k, count: n } }), 1000));
    for (const [table, bytes] of whole) assert.equal(parts.map((p) => p.get(table)).join(''), bytes, `${table} with ${n} shards`);
  }
});

test('adding a column leaves every other column unchanged', () => {
  const before = tableBytes(makePlan(shapes(), { profile: 'light' }), 4096);
  const after = tableBytes(makePlan(shapes({ extraColumn: true }), { profile: 'light' }), 4096);
  for (const [table, bytes] of before) {
    if (table !== 'accounts') {
      assert.equal(after.get(table), bytes, table);
      continue;
    }
    const old = parse(bytes) as string[][];
    const neu = parse(after.get(table)!) as string[][];
    assert.equal(neu.length, old.length);
    // The new column is at position 2; removing it gives the old rows back.
    assert.deepEqual(neu.map((r) => r.filter((_, j) => j !== 2)), old);
  }
});

test('any row can be recomputed on its own, equal to the streamed row', () => {
  const plan = makePlan(shapes(), { profile: 'medium' });
  const streamed = tableBytes(plan, 4096);
  const world = new World(plan.resolved);
  const maker = new BatchMaker(world);
  for (const t of plan.tables) {
    const lines = streamed.get(t.name)!.split('\n');
    for (const i of [0, 1, Math.floor(t.total / 2), t.total - 1]) {
      if (i < 0 || i >= t.total) continue;
      // Rows here have no embedded newlines, so line i is row i.
      assert.equal(maker.make(t.info, i, i + 1, false).csv.toString(), lines[i] + '\n', `${t.name} row ${i}`);
    }
  }
});

test('structural invariants of the shapes dataset hold by construction', () => {
  const plan = makePlan(shapes(), { profile: 'medium' });
  const b = tableBytes(plan, 4096);
  const rows = (t: string) => parse(b.get(t)!) as string[][];
  const accounts = rows('accounts');
  const users = rows('users');
  const byAccount = new Map<string, string[][]>();
  for (const u of users) (byAccount.get(u[1]!) ?? byAccount.set(u[1]!, []).get(u[1]!)!).push(u);
  for (const a of accounts) {
    const us = byAccount.get(a[0]!) ?? [];
    if (a[2] === 'large') assert.ok(us.length >= 5 && us.length <= 10);
    else assert.ok(us.length >= 1 && us.length <= 3);
    // The deferred key points at the account's first user.
    assert.equal(a[4], us[0]![0]);
  }
  assert.equal(new Set(users.map((u) => u[2])).size, users.length, 'emails unique');
  const pairs = rows('memberships').map((m) => m.join('/'));
  assert.equal(new Set(pairs).size, pairs.length, 'junction pairs unique');
  const readings = rows('readings');
  for (let j = 1; j < readings.length; j++) {
    if (readings[j]![1] === readings[j - 1]![1]) assert.equal(Date.parse(readings[j]![2]!) - Date.parse(readings[j - 1]![2]!), 6 * 3600 * 1000);
  }
  const digest = createHash('sha256').update(b.get('users')!).digest('hex');
  assert.equal(digest.length, 64);
});
