import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDataset, type DatasetDef } from '../../../src/index.js';
import { makePlan } from '../../../src/plan/plan.js';
import { preflight } from '../../../src/pipeline/preflight.js';
import { SeedpipeError } from '../../../src/errors.js';

const base = (tables: DatasetDef['tables'], extra: Partial<DatasetDef> = {}): DatasetDef => ({ name: 'bad', seed: 1, refDate: '2025-01-01T00:00:00Z', tables, ...extra });
const err = (code: string, ...parts: RegExp[]) => (e: unknown) => {
  assert.ok(e instanceof SeedpipeError, String(e));
  assert.equal(e.code, code, e.message);
  for (const p of parts) assert.match(e.message, p);
  return true;
};

test('schema errors name the table and column', () => {
  assert.throws(() => defineDataset(base({ users: { rows: 1, columns: { id: { type: 'bigint' }, age: { type: 'integer' as never, gen: () => 1 } } } })), err('DATASET_INVALID', /table users, column age/));
  assert.throws(() => defineDataset(base({ users: { rows: 1, columns: { id: { type: 'bigint' }, name: { type: 'text' } } } })), err('DATASET_INVALID', /table users, column name: no generator/));
  assert.throws(() => defineDataset(base({ users: { columns: { id: { type: 'bigint' } } } })), err('DATASET_INVALID', /table users: declare exactly one of rows, per, series, junction/));
  assert.throws(() => defineDataset(base({ users: { rows: 1, columns: { id: { type: 'bigint' }, org: { type: 'bigint', references: 'orgs', gen: () => 1 } } } })), err('DATASET_INVALID', /table users, column org refers to unknown table "orgs"/));
  assert.throws(() => defineDataset(base({ a: { per: { parent: 'nope', count: 1 }, columns: { id: { type: 'bigint' } } } })), err('DATASET_INVALID', /unknown table "nope"/));
  assert.throws(() => defineDataset(base({ a: { rows: 1, columns: { id: { type: 'bigint' } } } }, { profiles: { light: { rows: { zzz: 1 } } } })), err('DATASET_INVALID', /profile light refers to unknown table "zzz"/));
});

test('an unknown table in ref() fails in the preflight, naming table and column', () => {
  const def = defineDataset(base({ users: { rows: 5, columns: { id: { type: 'bigint' }, org_id: { type: 'bigint', gen: (c) => c.ref('orgs') } } } }));
  assert.throws(() => preflight(makePlan(def)), err('REF_UNKNOWN_TABLE', /table users, column org_id: refers to unknown table "orgs"; known tables: users/));
});

test('a generator returning the wrong type fails in the preflight', () => {
  const def = defineDataset(base({ users: { rows: 5, columns: { id: { type: 'bigint' }, created_at: { type: 'timestamptz', gen: () => '2024-01-01' } } } }));
  assert.throws(() => preflight(makePlan(def)), err('GENERATOR_TYPE', /table users, column created_at \(row 0\)/, /return a valid Date/));
});

test('a generator that throws is reported with table, column and row', () => {
  const def = defineDataset(base({ users: { rows: 5, columns: { id: { type: 'bigint' }, x: { type: 'int', gen: (c) => { if (c.i === 3) throw new Error('boom'); return 1; } } } } }));
  assert.throws(() => preflight(makePlan(def)), err('GENERATOR_FAILED', /table users, column x \(row 3\).*boom/));
});

test('a cycle with no nullable key is a plan-time error naming the cycle', () => {
  const def = defineDataset(
    base({
      a: { rows: 2, columns: { id: { type: 'bigint' }, b_id: { type: 'bigint', references: 'b', gen: () => 1 } } },
      b: { rows: 2, columns: { id: { type: 'bigint' }, a_id: { type: 'bigint', references: 'a', gen: () => 1 } } },
    }),
  );
  assert.throws(() => makePlan(def), err('CYCLE_NOT_BREAKABLE', /a → b → a|b → a → b/, /nullable/, /a\.b_id|b\.a_id/));
});

test('a cycle through a nullable key is broken there', () => {
  const def = defineDataset(
    base({
      a: { rows: 2, columns: { id: { type: 'bigint' }, b_id: { type: 'bigint', nullable: true, references: 'b', gen: () => 1 } } },
      b: { rows: 2, columns: { id: { type: 'bigint' }, a_id: { type: 'bigint', references: 'a', gen: () => 1 } } },
    }),
  );
  const plan = makePlan(def);
  assert.deepEqual([...plan.deferred], ['a.b_id']);
  assert.deepEqual(plan.tables.map((t) => t.name), ['a', 'b']);
});

test('a bad group count says what to change', () => {
  const def = defineDataset(base({ p: { rows: 2, columns: { id: { type: 'bigint' } } }, c: { per: { parent: 'p', count: () => 1.5 }, columns: { id: { type: 'bigint' } } } }));
  assert.throws(() => makePlan(def), err('COUNT_INVALID', /table c: the group count for parent row 0 is 1.5/, /Math.round/));
});

test('datasets are frozen after validation', () => {
  const def = defineDataset(base({ u: { rows: 1, columns: { id: { type: 'bigint' } } } }));
  assert.ok(Object.isFrozen(def) && Object.isFrozen(def.tables.u));
});
