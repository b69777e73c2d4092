/**
 * The aquaculture dataset without I/O: plans (light has every table, heavy within 2% of the
 * document's counts), the farm model (lifecycle plans conserve fish, graded lots inside their weight
 * bands, sea temperature by geography, exact meal splits), container reuse and utilisation, and the
 * FIFO feed stock recomputed in memory.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, loadDataset, makePlan, type DatasetDef, type Plan } from '../../../src/index.js';
import { World } from '../../../src/generate/world.js';
import { ADULT, DAY_MS, EPOCH, HARVEST_GRADES, REF_DAY, STAGES } from '../../../config/aquaculture/catalogs.js';
import { fishAt, harvestDetails, type AquaContext, mealGrams, planFromRow, readingValue, seaTemperature, stageFishAt, type BatchPlan, type SensorEnv } from '../../../config/aquaculture/farm.js';
import { lotDrawn, lotOf, lotQuantity, mealPosition, pools } from '../../../config/aquaculture/fifo.js';
import { containerUses, layout, stay } from '../../../config/aquaculture/layout.js';

let def: DatasetDef;
let light: Plan;
let heavy: Plan;
let world: World;

const total = (p: Plan, t: string): number => p.tables.find((x) => x.name === t)!.total;
const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual / expected - 1) <= tolerance, `${what}: ${actual} (expected ≈ ${expected} ± ${tolerance * 100}%)`);

/** A count context of a light world, for the per-run helpers (they read `params`, `count`, `lookup`). */
function ctx(w: World): AquaContext {
  return { params: w.params, count: (t: string) => w.table(t).total(), lookup: (t: string, i: number) => w.table(t).rowAt(i), memo: <T>(k: string, b: () => T) => w.memo(k, b) } as unknown as AquaContext;
}

before(async () => {
  def = (await loadDataset('aquaculture')).def;
  light = makePlan(def, { profile: 'light' });
  heavy = makePlan(def, { profile: 'heavy' });
  world = new World(light.resolved);
});

describe('aquaculture plans', () => {
  test('light has the farm, operations, broodstock, health and weather modules, and no deferred keys', () => {
    const names = new Set(light.tables.map((t) => t.name));
    for (const t of ['broodstock_families', 'broodstock_fish', 'breeding_plans', 'breeding_pairs', 'health_parameters', 'health_sampling_events', 'fish_observations', 'observation_scores',
      'lab_samples', 'vaccinations', 'lice_counts', 'treatments', 'weather_stations', 'weather_observations', 'weather_alerts', 'batch_stages']) assert.ok(names.has(t), t);
    assert.equal(light.deferred.size, 0);
  });

  test('light is a small slice that still has every kind of row', () => {
    const readings = total(light, 'readings');
    assert.ok(readings >= 30_000 && readings <= 100_000, `${readings} readings`);
    assert.ok(total(light, 'feeding_events') < total(heavy, 'feeding_events') / 4);
    for (const t of light.tables) assert.ok(t.total > 0, `${t.name} has rows`);
  });

  test('heavy is the document: every count within 2%, about 50 finance facts per harvested batch', () => {
    assert.equal(total(heavy, 'batches'), 54);
    near(total(heavy, 'containers'), 2_010, 0.02, 'containers');
    near(total(heavy, 'sensors'), 11_060, 0.02, 'sensors');
    near(total(heavy, 'readings'), 12_300_000, 0.02, 'readings');
    near(total(heavy, 'feeding_events'), 691_000, 0.02, 'feeding events');
    near(total(heavy, 'harvest_events'), 380, 0.02, 'harvest events');
    near(total(heavy, 'harvest_lots'), 1_900, 0.02, 'harvest lots');
    assert.equal(total(heavy, 'finance_harvest_facts'), total(heavy, 'harvest_lots'));
    near(total(heavy, 'finance_harvest_facts') / 38, 50, 0.02, 'facts per harvested batch');
    assert.equal(total(heavy, 'tgc_models'), 2);
    assert.equal(total(heavy, 'fcr_models'), 1);
    assert.equal(total(heavy, 'scenarios'), 54);
  });
});

describe('aquaculture farm model', () => {
  test('a lifecycle plan lasts ~900 days, conserves fish from stage to stage and grades harvests by weight', () => {
    const rng = new Rng().reset(Uint32Array.of(5, 6, 7, 8), 1);
    const row = { egg_count: 1_600_000, harvest_weight_g: 5_000, salt: 12_345, stage_days: STAGES.map((s) => s.days * rng.uniform(0.96, 1.04)), survival: STAGES.map((s) => s.survival) };
    const plan: BatchPlan = planFromRow(row, 10, 54, 1);
    const days = plan.stages[ADULT]!.endDay - plan.startDay;
    assert.equal(days, 900);
    for (let s = 0; s + 1 < STAGES.length; s++) {
      const sp = plan.stages[s]!;
      assert.equal(plan.stages[s + 1]!.counts0.reduce((a, b) => a + b, 0), stageFishAt(sp, sp.endDay), `stage ${s} → ${s + 1}`);
      assert.equal(plan.stages[s + 1]!.startDay, sp.endDay);
    }
    const adult = plan.stages[ADULT]!;
    assert.equal(plan.harvests.length, 10, 'one harvest per pen');
    assert.equal(plan.harvests.reduce((a, h) => a + h.fish, 0), adult.counts0.reduce((a, _, j) => a + fishAt(adult, j, adult.endDay), 0));
    const survival = plan.harvests.reduce((a, h) => a + h.fish, 0) / plan.eggs;
    assert.ok(survival > 0.55 && survival < 0.75, `survival ${survival}`);
    for (let x = 0; x < plan.harvests.length; x++) {
      const d = harvestDetails(plan, x);
      assert.equal(d.lots.reduce((a, l) => a + l.fish, 0), d.fish);
      for (let g = 0; g < 3; g++) {
        const avg = d.lots[g]!.guttedGrams / d.lots[g]!.fish / 1000;
        assert.ok(avg >= HARVEST_GRADES[g]!.minKg && avg < HARVEST_GRADES[g]!.maxKg, `${HARVEST_GRADES[g]!.name}: ${avg.toFixed(2)} kg`);
      }
    }
  });

  test('sea temperature: Faroe Islands stable 8–11 °C, Scotland seasonal 6–14 °C', () => {
    const rng = new Rng();
    const year = Array.from({ length: 365 * 4 }, (_, d) => EPOCH + d * DAY_MS / 4);
    const env = (geo: 0 | 1): SensorEnv => ({ kind: 'temperature', geo, stage: ADULT, sea: true, offset: 0.2 });
    for (const [geo, lo, hi] of [[0, 8, 11], [1, 6, 14]] as const) {
      const values = year.map((t, k) => readingValue(env(geo), t, 0.5, rng.reset(Uint32Array.of(1, 2, 3, geo), k)));
      assert.ok(Math.min(...values) >= lo && Math.max(...values) <= hi, `geo ${geo}: ${Math.min(...values)}–${Math.max(...values)}`);
    }
    const swing = (geo: 0 | 1): number => seaTemperature(geo, Date.parse('2024-08-25T12:00:00Z')) - seaTemperature(geo, Date.parse('2024-02-25T12:00:00Z'));
    assert.ok(swing(1) > 5, `Scotland swing ${swing(1)}`);
    assert.ok(swing(0) < 2.5, `Faroe swing ${swing(0)}`);
  });

  test('meals split a daily ration exactly', () => {
    for (const [daily, M] of [[1_000_003, 3], [7, 6], [123_456_789, 2]] as const) {
      let sum = 0;
      for (let m = 0; m < M; m++) sum += mealGrams(daily, M, m);
      assert.equal(sum, daily);
    }
  });
});

describe('aquaculture containers (heavy plan, in memory)', () => {
  test('containers are reused batch after batch without overlap, busy 55–90% of their working time', () => {
    const w = new World(heavy.resolved);
    const c = ctx(w);
    const L = layout(c);
    let used = 0;
    let span = 0;
    let reused = 0;
    for (let i = 0; i < L.cSite.length; i++) {
      const uses = containerUses(c, i);
      if (uses.length > 1) reused++;
      let prevOut = -Infinity;
      for (const b of uses) {
        const s = stay(c, i, b);
        assert.ok(s.start >= prevOut + 7, `container ${i}: batch ${b} starts ${s.start} before the previous stay ended ${prevOut} + cleaning`);
        prevOut = s.depart;
        used += s.end - s.start;
      }
      if (uses.length > 0) span += Math.min(REF_DAY, stay(c, i, uses.at(-1)!).depart) - stay(c, i, uses[0]!).start;
    }
    assert.ok(reused > L.cSite.length * 0.9, `${reused} of ${L.cSite.length} containers held more than one batch`);
    const share = used / span;
    assert.ok(share > 0.55 && share < 0.9, `utilisation ${share.toFixed(3)}`);
  });
});

describe('aquaculture FIFO feed stock (light, in memory)', () => {
  test('lots are drawn in order: positions grow with (day, meal, container) and lots never overlap', () => {
    const c = ctx(world);
    const p = pools(c);
    assert.ok(p.list.length > 0);
    for (const pool of p.list.filter((x) => x.lots > 1)) {
      // Every closed lot gave exactly what it received; the newest holds at least its nominal size.
      let drawn = 0;
      for (let j = 0; j < pool.lots; j++) {
        drawn += lotDrawn(pool, j);
        if (j < pool.lots - 1) assert.equal(lotQuantity(pool, j), lotDrawn(pool, j));
        else assert.ok(lotQuantity(pool, j) >= pool.lotGrams);
        assert.ok(Math.abs(lotDrawn(pool, j) - pool.lotGrams) < pool.lotGrams * 0.05 || j === pool.lots - 1);
      }
      assert.equal(drawn, pool.prefix[REF_DAY]);
      // Walk the first run's feeding units over a few days: the lot index never goes back.
      const run = pool.runs.find((r) => r.sp.startDay < REF_DAY)!;
      let last = -1;
      for (let day = run.sp.startDay; day < Math.min(run.sp.startDay + 20, run.sp.feedEndDay, REF_DAY); day++) {
        for (let m = 0; m < pool.meals; m++) {
          for (let j = 0; j < run.K; j++) {
            const pos = mealPosition(pool, run.plan.b, j, day, m);
            assert.ok(pos >= last, `position went back at day ${day}, meal ${m}`);
            last = pos;
            assert.ok(lotOf(pool, pos) < pool.lots);
          }
        }
      }
    }
  });
});
