/**
 * The tapflow dataset at its light profile, loaded into a throwaway embedded PostgreSQL with table
 * creation: `validate` passes (keys, counts, uniques and every business rule), the tier counts and
 * id ranges read back from SQL, and a device moved out of its range or before its install is caught.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValidationTable, validateDatabase } from '../../../stages/sinks/postgres/index.js';
import { useLoadedDataset } from '../../support/loaded-dataset.js';

const ds = useLoadedDataset('tapflow');
const query = ds.query;

describe('tapflow dataset in PostgreSQL (light)', () => {
  test('validate passes: foreign keys, row counts, uniques and every dataset check', async () => {
    const report = await validateDatabase({ url: ds.server.url, plan: ds.plan, checks: ds.def.checks ?? [] });
    assert.equal(report.ok, true, formatValidationTable(report));
    assert.equal(report.items.filter((i) => i.kind === 'check').length, ds.def.checks!.length);
    assert.equal(report.items.filter((i) => i.kind === 'rows').length, ds.plan.tables.length);
  });

  test('tier counts and id ranges, read back with SQL', async () => {
    const tiers = await query<{ tier: string; n: string }>(`SELECT tier::text, count(*) AS n FROM accounts GROUP BY 1 ORDER BY 1`);
    assert.deepEqual(Object.fromEntries(tiers.map((r) => [r.tier, Number(r.n)])), { enterprise: 3, large: 12, medium: 30, small: 105 });
    const ranges = await query<{ t: string; lo: string; hi: string; n: string }>(
      ['accounts', 'locations', 'subscriptions', 'devices', 'users'].map((t) => `SELECT '${t}' AS t, min(id) AS lo, max(id) AS hi, count(*) AS n FROM ${t}`).join(' UNION ALL '),
    );
    const got = Object.fromEntries(ranges.map((r) => [r.t, [Number(r.lo), Number(r.hi), Number(r.n)]]));
    // Sequential: the last id is first + count − 1, and stays inside the range.
    assert.deepEqual(got.accounts, [1, 150, 150]);
    for (const [t, first, last] of [['locations', 1_001, 5_000], ['subscriptions', 5_001, 6_000], ['devices', 10_001, 40_000], ['users', 50_001, 60_000]] as const) {
      const [lo, hi, n] = got[t]!;
      assert.equal(lo, first, `${t} starts at ${first}`);
      assert.equal(hi, first + n! - 1, `${t} ids are sequential`);
      assert.ok(hi! <= last, `${t}: ${hi} ≤ ${last}`);
    }
  });

  test('a device outside its id range and a tap before installation are reported', async () => {
    const [tap] = await query<{ id: string; tapped_at: Date }>(`SELECT id, tapped_at FROM tap_events ORDER BY id LIMIT 1`);
    await query(`INSERT INTO devices SELECT 45000, location_id, account_id, model, 'TM-0045000', firmware, installed_at, retired_at, status FROM devices ORDER BY id LIMIT 1`);
    await query(`UPDATE tap_events SET tapped_at = TIMESTAMPTZ '2019-06-01T12:00:00Z' WHERE id = ${tap!.id}`);
    try {
      const report = await validateDatabase({ url: ds.server.url, plan: ds.plan, checks: ds.def.checks ?? [] });
      const failed = new Set(report.items.filter((i) => !i.ok).map((i) => i.name));
      for (const name of ['devices_ids_in_range', 'tap_during_device_life']) assert.ok(failed.has(name), `${name} failed; failed: ${[...failed].join(', ')}`);
    } finally {
      await query(`UPDATE tap_events SET tapped_at = '${tap!.tapped_at.toISOString()}' WHERE id = ${tap!.id}`);
      await query(`DELETE FROM devices WHERE id = 45000`);
    }
    const again = await validateDatabase({ url: ds.server.url, plan: ds.plan, checks: ds.def.checks ?? [] });
    assert.equal(again.ok, true, formatValidationTable(again));
  });
});
