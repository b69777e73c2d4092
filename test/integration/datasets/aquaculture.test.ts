/**
 * The aquaculture dataset at its light profile, loaded into a throwaway embedded PostgreSQL with
 * table creation: `validate` passes (every foreign key, row counts, uniques and every business
 * rule), the environment reads back as modelled, and broken rules are caught.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValidationTable, validateDatabase } from '../../../stages/sinks/postgres/index.js';
import { useLoadedDataset } from '../../support/loaded-dataset.js';

const ds = useLoadedDataset('aquaculture');
const query = ds.query;
const failedChecks = ds.failedChecks;

describe('aquaculture dataset in PostgreSQL (light)', () => {
  test('validate passes: foreign keys, row counts, uniques and every dataset check', async () => {
    const report = await validateDatabase({ url: ds.server.url, plan: ds.plan, checks: ds.def.checks ?? [] });
    assert.equal(report.ok, true, formatValidationTable(report));
    assert.equal(report.items.filter((i) => i.kind === 'check').length, ds.def.checks!.length);
    assert.equal(report.items.filter((i) => i.kind === 'rows').length, ds.plan.tables.length);
  });

  test('sea temperature reads back by geography: stable in the Faroe Islands, seasonal in Scotland', async () => {
    const rows = await query<{ geo: string; lo: number; hi: number; winter: number; summer: number }>(`SELECT g.code AS geo, min(r.value) AS lo, max(r.value) AS hi,
        avg(r.value) FILTER (WHERE extract(month FROM r.measured_at) IN (1, 2, 3, 4)) AS winter, avg(r.value) FILTER (WHERE extract(month FROM r.measured_at) IN (7, 8, 9)) AS summer
      FROM readings r JOIN sensors s ON s.id = r.sensor_id JOIN sensor_types st ON st.id = s.sensor_type_id AND st.kind = 'temperature'
      JOIN containers c ON c.id = s.container_id AND c.container_type = 'sea_pen' JOIN sites si ON si.id = c.site_id JOIN areas a ON a.id = si.area_id
      JOIN geographies g ON g.id = a.geography_id GROUP BY g.code ORDER BY g.code`);
    const fo = rows.find((r) => r.geo === 'FO')!;
    const sco = rows.find((r) => r.geo === 'SCO')!;
    assert.ok(fo.lo >= 8 && fo.hi <= 11 && fo.summer - fo.winter < 3, JSON.stringify(fo));
    assert.ok(sco.lo >= 6 && sco.hi <= 14 && sco.summer - sco.winter > 4, JSON.stringify(sco));
  });

  test('the document at light scale: containers reused, densities and licences kept, harvests graded by weight, ~50 facts per harvested batch', async () => {
    const [r] = await query<{ reused: string; containers: string; over_density: string; bad_grades: string; facts_per_batch: string; harvested: string }>(`SELECT
      (SELECT count(*) FROM (SELECT container_id FROM batch_container_assignments GROUP BY 1 HAVING count(*) > 1) x) AS reused, (SELECT count(*) FROM containers) AS containers,
      (SELECT count(*) FROM batch_container_assignments a JOIN lifecycle_stages ls ON ls.id = a.lifecycle_stage_id WHERE a.peak_density > ls.max_density) AS over_density,
      (SELECT count(*) FROM harvest_lots l JOIN harvest_grades g ON g.id = l.harvest_grade_id WHERE g.min_gutted_kg IS NOT NULL AND (l.avg_gutted_kg < g.min_gutted_kg OR l.avg_gutted_kg >= COALESCE(g.max_gutted_kg, 1e9))) AS bad_grades,
      (SELECT count(*)::numeric / NULLIF(count(DISTINCT batch_id), 0) FROM finance_harvest_facts) AS facts_per_batch, (SELECT count(*) FROM batches WHERE status = 'harvested') AS harvested`);
    assert.ok(Number(r!.reused) > Number(r!.containers) * 0.5, `${r!.reused} of ${r!.containers} containers held several batches`);
    assert.equal(r!.over_density, '0');
    assert.equal(r!.bad_grades, '0');
    assert.ok(Number(r!.harvested) >= 3);
    assert.ok(Math.abs(Number(r!.facts_per_batch) - 50) <= 1, `${r!.facts_per_batch} facts per harvested batch`);
    const [brood] = await query<{ mismatched: string }>(`SELECT count(*) AS mismatched FROM batches b WHERE b.egg_count <> (SELECT SUM(x.eggs) FROM breeding_pairs x JOIN breeding_plans p ON p.id = x.breeding_plan_id WHERE p.batch_id = b.id)`);
    assert.equal(brood!.mismatched, '0');
  });

  test('FIFO: every store works through its lots one at a time, oldest first', async () => {
    const [r] = await query<{ stores: string; lots: string; open: string }>(`SELECT count(DISTINCT (site_id, feed_type_id)) AS stores, count(*) AS lots,
      count(*) FILTER (WHERE status = 'in_stock') AS open FROM feed_purchases`);
    assert.equal(r!.open, r!.stores);
    assert.ok(Number(r!.lots) > 3 * Number(r!.stores));
  });

  test('broken rules are reported: a reading from an empty tank, a meal from a newer lot, a warm Faroese pen', async () => {
    assert.deepEqual(await failedChecks(), []);
    await query(`BEGIN;
      UPDATE readings SET measured_at = measured_at - interval '400 days' WHERE id = (SELECT min(r.id) FROM readings r JOIN sensors s ON s.id = r.sensor_id JOIN containers c ON c.id = s.container_id WHERE c.container_type = 'fry_tank');
      UPDATE feeding_events SET feed_purchase_id = feed_purchase_id + 1 WHERE id = (SELECT min(f.id) FROM feeding_events f JOIN feed_purchases p ON p.id = f.feed_purchase_id WHERE p.status = 'consumed');
      UPDATE readings SET value = 12.5 WHERE id = (SELECT min(r.id) FROM readings r JOIN sensors s ON s.id = r.sensor_id JOIN sensor_types st ON st.id = s.sensor_type_id AND st.kind = 'temperature'
        JOIN containers c ON c.id = s.container_id AND c.container_type = 'sea_pen' JOIN sites si ON si.id = c.site_id JOIN areas a ON a.id = si.area_id WHERE a.geography_id = 1);
      COMMIT`);
    const failed = await failedChecks();
    for (const name of ['readings_only_while_container_in_use', 'feed_drawn_first_in_first_out', 'feed_lots_never_overdrawn', 'sea_temperature_by_geography']) {
      assert.ok(failed.includes(name), `${name} should fail; failed: ${failed.join(', ')}`);
    }
  });
});
