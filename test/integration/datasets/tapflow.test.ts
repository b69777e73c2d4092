/**
 * The tapflow dataset at its light profile, loaded into a throwaway embedded PostgreSQL with table
 * creation: `validate` passes (keys, counts, uniques and every business rule), the tier counts and
 * id ranges read back from SQL, and a device moved out of its range or before its install is caught.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatValidationTable, validateDatabase } from '../../../stages/sinks/postgres/index.js';
import { useLoadedDataset } from '../../support/loaded-dataset.js';

const ds = useLoadedDataset('tapflow');
const query = ds.query;

/**
 * The runbook's queries as config/tapflow/runbook.sql keeps them, read against this load's
 * `public.<entity>` tables (the shared light-profile database). Loaded as the runbook's warehouse has
 * it (`--schema raw --table-prefix app_database_`), they run verbatim: tapflow-runbook.test.ts.
 */
function runbookQueries(): Map<string, string> {
  const text = readFileSync(new URL('../../../config/tapflow/runbook.sql', import.meta.url), 'utf8');
  const out = new Map<string, string>();
  for (const chunk of text.split(/^-- check: /m).slice(1)) {
    const name = chunk.slice(0, chunk.indexOf('\n')).trim();
    out.set(name, chunk.slice(chunk.indexOf('\n') + 1).replace(/raw\.app_database_/g, 'public.'));
  }
  return out;
}

describe('tapflow dataset in PostgreSQL (light)', () => {
  test('validate passes: foreign keys, row counts, uniques and every dataset check', async () => {
    const report = await validateDatabase({ url: ds.server.url, plan: ds.plan, checks: ds.def.checks ?? [] });
    assert.equal(report.ok, true, formatValidationTable(report));
    assert.equal(report.items.filter((i) => i.kind === 'check').length, ds.def.checks!.length);
    assert.equal(report.items.filter((i) => i.kind === 'rows').length, ds.plan.tables.length);
  });

  test("the runbook's own checks: no orphaned devices, device ids within 1–30000, the expected entity counts", async () => {
    const q = runbookQueries();
    assert.deepEqual([...q.keys()], ['orphaned_devices', 'device_id_range', 'entity_counts']);
    const [orphans] = await query<{ orphaned_devices: string }>(q.get('orphaned_devices')!);
    assert.equal(Number(orphans!.orphaned_devices), 0);
    const [range] = await query<{ entity: string; min_id: string; max_id: string; count: string }>(q.get('device_id_range')!);
    assert.equal(range!.entity, 'devices');
    assert.ok(Number(range!.min_id) >= 1 && Number(range!.max_id) <= 30_000, `device ids ${range!.min_id}–${range!.max_id}`);
    const counts = Object.fromEntries((await query<{ entity: string; count: string }>(q.get('entity_counts')!)).map((r) => [r.entity, Number(r.count)]));
    assert.equal(counts.accounts, 150);
    assert.ok(Math.abs(counts.locations! - 800) <= 80, `~800 locations: ${counts.locations}`);
    assert.ok(Math.abs(counts.devices! - 25_000) <= 1_250, `~25,000 devices: ${counts.devices}`);
    assert.ok(Math.abs(counts.subscriptions! - 180) <= 9, `~180 subscriptions: ${counts.subscriptions}`);
    // The runbook's "~5,000 users" cannot meet its own per-tier ranges (at most 3,825 users in all): the ranges win.
    assert.ok(counts.users! >= 1_500 && counts.users! <= 3_825, `users within what the tier ranges allow: ${counts.users}`);
    const [refs] = await query<{ lo: string; hi: string }>(`SELECT min(location_id) AS lo, max(location_id) AS hi FROM devices`);
    assert.ok(Number(refs!.lo) >= 1 && Number(refs!.hi) <= 1_000, `devices reference location ids 1–1000 (${refs!.lo}–${refs!.hi})`);
  });

  test('subscriptions and their terminals: no ended one licensed to a device installed after it ended, active ones on/after install, none on retired devices', async () => {
    const [r] = await query<{ ended_late: string; active_early: string; retired: string; ended: string; active: string }>(`
      SELECT count(*) FILTER (WHERE s.ended_at IS NOT NULL AND d.installed_at > s.ended_at) AS ended_late,
             count(*) FILTER (WHERE s.status = 'active' AND s.started_at < d.installed_at) AS active_early,
             count(*) FILTER (WHERE d.retired_at IS NOT NULL) AS retired,
             count(*) FILTER (WHERE s.status = 'ended') AS ended, count(*) FILTER (WHERE s.status = 'active') AS active
      FROM subscriptions s JOIN devices d ON d.id = s.device_id`);
    assert.deepEqual({ ...r }, { ended_late: '0', active_early: '0', retired: '0', ended: '30', active: '150' });
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
    for (const [t, first, last] of [['locations', 1, 1_000], ['subscriptions', 1, 200], ['devices', 1, 30_000], ['users', 1, 6_000]] as const) {
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
