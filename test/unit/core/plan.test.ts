import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makePlan, shardRange, parseShard } from '../../../src/plan/plan.js';
import { shapes } from '../../fixtures/datasets/shapes.js';
import { SeedpipeError } from '../../../src/errors.js';

test('tables come in dependency order; a cycle is broken at its nullable key', () => {
  const plan = makePlan(shapes(), { profile: 'light' });
  const order = plan.tables.map((t) => t.name);
  for (const [child, parent] of [['accounts', 'plans'], ['users', 'accounts'], ['memberships', 'plans'], ['readings', 'accounts']]) {
    assert.ok(order.indexOf(child!) > order.indexOf(parent!), `${child} after ${parent}: ${order}`);
  }
  assert.deepEqual([...plan.deferred], ['accounts.primary_user_id']);
  const accounts = plan.tables.find((t) => t.name === 'accounts')!;
  assert.equal(accounts.info.columns.find((c) => c.name === 'primary_user_id')!.deferred, true);
  assert.match(plan.mermaid, /^flowchart LR/);
  assert.match(plan.mermaid, /accounts -\.->\|primary_user_id\| users/);
  assert.match(plan.mermaid, /users -->\|account_id\| accounts/);
});

test('counts follow the profile, scale and --set; catalogs of fixed rows do not scale', () => {
  const light = makePlan(shapes(), { profile: 'light' });
  const count = (p: typeof light, t: string) => p.tables.find((x) => x.name === t)!.total;
  assert.equal(count(light, 'accounts'), 20);
  assert.equal(count(light, 'plans'), 3);
  assert.equal(count(light, 'memberships'), 40);
  assert.equal(count(light, 'readings'), 20 * 12);
  const scaled = makePlan(shapes(), { profile: 'light', scale: 2.5 });
  assert.equal(count(scaled, 'accounts'), 50);
  assert.equal(count(scaled, 'plans'), 3);
  const set = makePlan(shapes(), { profile: 'light', set: ['accounts.rows=7', 'perAccount=1'] });
  assert.equal(count(set, 'accounts'), 7);
  assert.equal(set.resolved.params.perAccount, 1);
});

test('bad profile, scale and --set fail with a usage error saying what to change', () => {
  const usage = (code: string, re: RegExp) => (e: unknown) => e instanceof SeedpipeError && e.code === code && e.disposition === 'usage' && re.test(e.message);
  assert.throws(() => makePlan(shapes(), { profile: 'huge' }), usage('PROFILE_UNKNOWN', /choose one of: light, medium/));
  assert.throws(() => makePlan(shapes(), { scale: -1 }), usage('SCALE_INVALID', /positive/));
  assert.throws(() => makePlan(shapes(), { set: ['nope=1'] }), usage('SET_UNKNOWN_PARAM', /declared parameters: perAccount/));
  assert.throws(() => makePlan(shapes(), { set: ['users.rows=1'] }), usage('SET_INVALID', /gets its rows from its parent/));
  assert.throws(() => makePlan(shapes(), { set: ['perAccount=x'] }), usage('SET_INVALID', /is a number/));
  assert.throws(() => makePlan(shapes(), { only: ['nope'] }), usage('ONLY_UNKNOWN_TABLE', /unknown table/));
});

test('shard ranges are contiguous, balanced and concatenate to the whole', () => {
  for (const total of [0, 1, 7, 1000, 1001]) {
    for (const n of [1, 2, 3, 4, 16]) {
      let prev = 0;
      for (let k = 0; k < n; k++) {
        const [a, b] = shardRange(total, { index: k, count: n });
        assert.equal(a, prev);
        assert.ok(b - a <= Math.ceil(total / n));
        prev = b;
      }
      assert.equal(prev, total);
    }
  }
  assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  assert.throws(() => parseShard('4/4'), /0 ≤ k < n/);
  assert.throws(() => parseShard('a/b'), /k\/n/);
});

test('append offsets: new rows continue after the existing ones', () => {
  const base = makePlan(shapes(), { profile: 'light' });
  const more = makePlan(shapes(), { profile: 'light', offsets: { accounts: 20, plans: 3 }, set: ['accounts.rows=5'] });
  const acc = more.tables.find((t) => t.name === 'accounts')!;
  assert.deepEqual([acc.start, acc.end, acc.total], [20, 25, 25]);
  // A catalog of fixed rows that already exist gets nothing appended, and refs still see all of it.
  const plans = more.tables.find((t) => t.name === 'plans')!;
  assert.deepEqual([plans.start, plans.end, plans.total], [3, 3, 3]);
  const users = more.tables.find((t) => t.name === 'users')!;
  assert.equal(users.start, base.tables.find((t) => t.name === 'users')!.total);
});

test('group tables whose parent count is a multiple of the checkpoint spacing locate every row', async () => {
  const { defineDataset } = await import('../../../src/index.js');
  const { World } = await import('../../../src/generate/world.js');
  for (const parents of [255, 256, 512, 513]) {
    const def = defineDataset({
      name: 'cp',
      seed: 3,
      refDate: '2025-01-01T00:00:00Z',
      tables: {
        p: { rows: parents, columns: { id: { type: 'bigint' } } },
        c: { per: { parent: 'p', count: (c) => c.rng.int(0, 3) }, columns: { id: { type: 'bigint' }, p_id: { type: 'bigint', gen: (c) => c.parentIndex + 1 } } },
      },
    });
    const plan = makePlan(def);
    const w = new World(plan.resolved);
    const c = w.table('c');
    const total = c.total();
    assert.equal(c.groupStart(parents), total, `${parents}: end of the last group`);
    for (const i of [0, total - 1, Math.floor(total / 2)]) if (i >= 0) assert.equal(c.rowAt(i).id, i + 1);
    const last = plan.tables.find((t) => t.name === 'c')!;
    assert.equal(last.total, total);
  }
});

/** shapes() with its `users` count function wrapped to count its calls. */
function countedShapes(): { def: ReturnType<typeof shapes>; calls: () => number } {
  const base = shapes();
  const users = base.tables.users!;
  const count = users.per!.count as (c: unknown) => number;
  let calls = 0;
  const counted = (c: unknown): number => {
    calls++;
    return count(c);
  };
  const def = { ...base, tables: { ...base.tables, users: { ...users, per: { ...users.per!, count: counted } } } } as ReturnType<typeof shapes>;
  return { def, calls: () => calls };
}

test('a plan given another plan\'s shared group counts locates every row the same without calling a count function', () => {
  const opts = { set: ['accounts.rows=1000'] };
  const { def, calls } = countedShapes();
  const first = makePlan(def, opts);
  const counted = calls();
  assert.ok(counted >= 1000, `the first plan counts every account's users (${counted} calls)`);
  const counts = first.world.sharedCounts();
  assert.deepEqual(Object.keys(counts).sort(), ['memberships', 'readings', 'users']);
  for (const c of Object.values(counts)) assert.ok(c.checkpoints.buffer instanceof SharedArrayBuffer);
  const second = makePlan(def, opts, counts);
  assert.equal(calls(), counted, 'the second plan took the counts instead of counting');
  assert.deepEqual(second.tables.map((t) => [t.name, t.total, t.start, t.end]), first.tables.map((t) => [t.name, t.total, t.start, t.end]));
  const a = first.world.table('users');
  const b = second.world.table('users');
  for (const i of [0, 1, 255, 256, 257, 999, 1000, a.total() - 1]) assert.deepEqual(b.locate(i), a.locate(i), `row ${i}`);
  for (const p of [0, 255, 256, 700, 1000]) assert.equal(b.groupStart(p), a.groupStart(p), `parent ${p}`);
});

test('group counts made for another plan are refused, not used', () => {
  const counts = makePlan(shapes(), { set: ['accounts.rows=1000'] }).world.sharedCounts();
  assert.throws(
    () => makePlan(shapes(), { set: ['accounts.rows=200'] }, counts),
    (e: unknown) => e instanceof SeedpipeError && e.code === 'GROUP_COUNTS_MISMATCH' && /users: the shared counts have 4 checkpoints, but 200 parents need 1/.test(e.message),
  );
});
