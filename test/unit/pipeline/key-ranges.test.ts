/** References computed without c.ref are range-checked against the referenced table's generated keys. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDataset, makePlan, isSeedpipeError, type DatasetDef, type PlanOptions } from '../../../src/index.js';
import { BatchMaker } from '../../../src/stage-kit.js';

/** Three banks and transactions that name a bank by a fixed id (1–3), as a hand-written dataset might. */
const banking = defineDataset({
  name: 'banking',
  seed: 3,
  refDate: '2025-01-01T00:00:00Z',
  tables: {
    banks: { rows: 3, columns: { id: { type: 'bigint' }, name: { type: 'text', gen: (c) => `bank ${c.i + 1}` } } },
    accounts: {
      rows: 40,
      keyOffset: 1000,
      columns: { id: { type: 'bigint' }, bank_id: { type: 'bigint', references: 'banks', gen: (c) => c.ref('banks') } },
    },
    txns: {
      rows: 200,
      columns: {
        id: { type: 'bigint' },
        bank_id: { type: 'bigint', references: 'banks', gen: (c) => (c.i % 3) + 1 },
        account_id: { type: 'bigint', nullable: true, references: 'accounts', gen: (c) => (c.i % 7 === 0 ? null : 1001 + (c.i % 40)) },
      },
    },
  },
});

function generateAll(opts: PlanOptions, def = banking): void {
  const plan = makePlan(def, opts);
  const maker = new BatchMaker(plan.world);
  for (const t of plan.tables) maker.make(t.info, t.start, t.end, false);
}

test('every reference inside the referenced table\'s keys passes (offset keys and NULLs included)', () => {
  generateAll({});
});

test('a fixed id past the last row of a scaled-down table stops generation with what to change', () => {
  assert.throws(() => generateAll({ scale: 0.34 }), (e: unknown) => {
    assert.ok(isSeedpipeError(e));
    assert.equal(e.code, 'REF_OUT_OF_RANGE');
    assert.equal(e.disposition, 'usage');
    assert.match(e.message, /^txns\.bank_id is 2 in row 1, but banks has 1 row \(keys 1–1\) in this run \(profile default, scale 0\.34\)/);
    // rows = round(3 × scale) ≥ 2 from scale 0.5 on.
    assert.match(e.message, /To run, give banks at least 2 rows \(--set banks\.rows=2 or --scale 0\.5 or more\); in the dataset, derive the value with c\.ref\("banks"\), or declare banks a catalog \(catalog: true\)/);
    assert.deepEqual({ ...e.data }, { table: 'txns', column: 'bank_id', row: 1, value: 2, references: 'banks' });
    return true;
  });
});

test('a catalog keeps its rows at any scale and refuses --set and profile rows', () => {
  const catalog = defineDataset({ ...banking, tables: { ...banking.tables, banks: { ...banking.tables.banks!, catalog: true } } } as DatasetDef);
  for (const scale of [0.01, 0.34, 5]) assert.equal(makePlan(catalog, { scale }).tables.find((t) => t.name === 'banks')!.total, 3);
  assert.throws(() => makePlan(catalog, { set: ['banks.rows=5'] }), (e: unknown) => isSeedpipeError(e) && e.code === 'SET_INVALID' && /banks is a catalog of 3 rows the dataset defines/.test(e.message));
  assert.throws(() => defineDataset({ ...catalog, profiles: { big: { rows: { banks: 9 } } } }), (e: unknown) => isSeedpipeError(e) && /profile big sets the rows of banks, a catalog/.test(e.message));
  assert.throws(() => defineDataset({ ...banking, tables: { ...banking.tables, per_bank: { per: { parent: 'banks', count: 1 }, catalog: true, columns: { id: { type: 'bigint' } } } } } as DatasetDef), (e: unknown) => isSeedpipeError(e) && /per_bank: catalog is only supported on tables with a rows count/.test(e.message));
  // Its fixed ids (1–3) stay valid at a scale that leaves a plain table one row.
  generateAll({ scale: 0.01, set: ['accounts.rows=40'] }, catalog);
});

test('keys shifted by a table\'s keyOffset are checked against the shifted range', () => {
  assert.throws(() => generateAll({ set: ['accounts.rows=10'] }), (e: unknown) => isSeedpipeError(e) && e.code === 'REF_OUT_OF_RANGE'
    && /^txns\.account_id is 1011 in row 10, but accounts has 10 rows \(keys 1001–1010\)/.test(e.message));
});

test('a lookup past the last row names the rows it needs', () => {
  const noted = defineDataset({
    ...banking,
    tables: { banks: banking.tables.banks!, notes: { rows: 5, columns: { id: { type: 'bigint' }, bank: { type: 'text', gen: (c) => String(c.lookup('banks', 2).name) } } } },
  } as DatasetDef);
  generateAll({}, noted);
  assert.throws(() => generateAll({ scale: 0.34 }, noted), (e: unknown) => {
    assert.ok(isSeedpipeError(e));
    assert.equal(e.code, 'LOOKUP_OUT_OF_RANGE');
    // rows = round(3 × scale) ≥ 3 from scale 5/6 on.
    assert.match(e.message, /lookup\("banks", 2\) is outside 0\.\.0; to run, give banks at least 3 rows \(--set banks\.rows=3 or --scale 0\.84 or more\)/);
    return true;
  });
});
