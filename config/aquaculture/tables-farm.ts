/**
 * aquaculture infrastructure and sensor streams: geographies → areas → sites → halls and
 * containers (trays, tanks, sea pens) → sensors → readings. Containers are reused batch after
 * batch; a sensor reads only while its container holds fish.
 */
import { defineTables, jsonb } from '../../src/index.js';
import type { params } from './params.js';
import { AREAS, GEOGRAPHIES, SENSOR_TYPES, SITES, STAGES, STAGE_CODES, dayMs, sensorTypeIndex } from './catalogs.js';
import { readingValue, type SensorEnv, type AquaContext, type AquaRows } from './farm.js';
import { containerUses, hallOf, layout, stay } from './layout.js';

export interface Stay {
  /** First reading time, end (exclusive), readings before this stay. */
  start: number;
  end: number;
  before: number;
}

/** The stays of a sensor's container and how many readings each gives, at one per `every` ms. */
function staysOf(c: AquaContext, container: number, every: number): Stay[] {
  const out: Stay[] = [];
  let before = 0;
  for (const b of containerUses(c, container)) {
    const s = stay(c, container, b);
    const start = dayMs(s.start);
    const end = Math.max(start, dayMs(s.end));
    out.push({ start, end, before });
    before += Math.ceil((end - start) / every);
  }
  return out;
}
const readingCount = (stays: readonly Stay[], every: number): number => (stays.length === 0 ? 0 : stays.at(-1)!.before + Math.ceil((stays.at(-1)!.end - stays.at(-1)!.start) / every));

export const farmTables = defineTables<AquaRows, typeof params>()({
  geographies: {
    rows: GEOGRAPHIES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      // A per-seed value behind the hashed noise of feed rations, prices and harvest grading.
      salt: { type: 'bigint', virtual: true, gen: (c) => c.rng.u32() },
      code: { type: 'text', unique: true, gen: (c) => GEOGRAPHIES[c.i]!.code },
      name: { type: 'text', gen: (c) => GEOGRAPHIES[c.i]!.name },
      timezone: { type: 'text', gen: (c) => GEOGRAPHIES[c.i]!.timezone },
      currency: { type: 'text', gen: (c) => GEOGRAPHIES[c.i]!.currency },
    },
  },
  areas: {
    rows: AREAS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      geography_id: { type: 'bigint', references: 'geographies', gen: (c) => AREAS[c.i]!.geo + 1 },
      name: { type: 'text', unique: true, gen: (c) => AREAS[c.i]!.name },
    },
  },
  sites: {
    rows: SITES.length,
    catalog: true,
    description: 'Hatcheries (eggs to parr), smolt stations (smolt, post-smolt) and sea sites, each with a licensed maximum standing biomass.',
    columns: {
      id: { type: 'bigint' },
      area_id: { type: 'bigint', references: 'areas', gen: (c) => SITES[c.i]!.area + 1 },
      name: { type: 'text', unique: true, gen: (c) => SITES[c.i]!.name },
      kind: { type: { enum: ['freshwater', 'sea'] }, gen: (c) => SITES[c.i]!.kind },
      latitude: { type: 'numeric(8,5)', gen: (c) => SITES[c.i]!.lat },
      longitude: { type: 'numeric(8,5)', gen: (c) => SITES[c.i]!.lon },
      licence_tonnes: { type: 'int', gen: (c) => SITES[c.i]!.licenceTonnes },
    },
  },
  lifecycle_stages: {
    rows: STAGES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => STAGES[c.i]!.name },
      position: { type: 'smallint', unique: true, gen: (c) => c.i + 1 },
      typical_days: { type: 'int', gen: (c) => STAGES[c.i]!.days },
      start_weight_g: { type: 'numeric(10,2)', gen: (c) => STAGES[c.i]!.w0 },
      end_weight_g: { type: 'numeric(10,2)', gen: (c) => STAGES[c.i]!.w1 },
      max_density: { type: 'numeric(10,1)', gen: (c) => STAGES[c.i]!.maxDensity },
      density_unit: { type: 'text', gen: (c) => (c.i === 0 ? 'eggs per tray' : 'kg/m³') },
    },
  },
  sensor_types: {
    rows: SENSOR_TYPES.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      kind: { type: 'text', unique: true, gen: (c) => SENSOR_TYPES[c.i]!.kind },
      unit: { type: 'text', gen: (c) => SENSOR_TYPES[c.i]!.unit },
      model: { type: 'text', gen: (c) => SENSOR_TYPES[c.i]!.model },
    },
  },
  halls: {
    per: { parent: 'sites', count: (c) => (SITES[c.parentIndex]!.kind === 'freshwater' ? SITES[c.parentIndex]!.stages.length : 0) },
    uniques: [['site_id', 'name']],
    description: 'Buildings of a hatchery or smolt station, one per stage it hosts.',
    columns: {
      id: { type: 'bigint' },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => c.parentIndex + 1 },
      lifecycle_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => SITES[c.parentIndex]!.stages[c.k]! + 1 },
      name: { type: 'text', gen: (c) => STAGES[SITES[c.parentIndex]!.stages[c.k]!]!.hall! },
      built_on: { type: 'date', gen: (c) => new Date(Date.UTC(c.rng.int(2005, 2015), c.rng.int(0, 11), 1)) },
    },
  },
  containers: {
    per: { parent: 'sites', count: (c) => { const L = layout(c); return L.siteStart[c.parentIndex + 1]! - L.siteStart[c.parentIndex]!; } },
    uniques: [['site_id', 'name']],
    description: 'Incubation trays and tanks in halls, pens at sea sites; each holds batch after batch.',
    checks: ['(container_type = \'sea_pen\') = (hall_id IS NULL)'],
    columns: {
      id: { type: 'bigint' },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => c.parentIndex + 1 },
      stage: { type: 'int', virtual: true, gen: (c) => layout(c).cStage[c.i] },
      hall_id: { type: 'bigint', nullable: true, references: 'halls', gen: (c) => { const h = hallOf(layout(c), c.parentIndex, c.row.stage); return h < 0 ? null : h + 1; } },
      name: { type: 'text', gen: (c) => { const L = layout(c); return `${STAGE_CODES[c.row.stage]}-${L.cSet[c.i]! + 1}-${String(L.cJ[c.i]! + 1).padStart(3, '0')}`; } },
      container_type: { type: { enum: STAGES.map((s) => s.containerType) as [string, ...string[]] }, gen: (c) => STAGES[c.row.stage]!.containerType },
      // At least the design volume, so the stocking plan stays within its density limits.
      volume_m3: { type: 'numeric(10,2)', gen: (c) => Math.round(STAGES[c.row.stage]!.volumeM3 * c.rng.uniform(1, 1.12) * 100) / 100 },
      commissioned_on: { type: 'date', gen: (c) => new Date(Date.UTC(c.rng.int(2012, 2016), c.rng.int(0, 11), 1)) },
    },
  },
  sensors: {
    per: { parent: 'containers', count: (c) => STAGES[layout(c).cStage[c.parentIndex]!]!.sensors.length },
    uniques: [['container_id', 'sensor_type_id']],
    columns: {
      id: { type: 'bigint' },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => c.parentIndex + 1 },
      kind: { type: { enum: SENSOR_TYPES.map((t) => t.kind) }, virtual: true, gen: (c) => STAGES[layout(c).cStage[c.parentIndex]!]!.sensors[c.k] },
      sensor_type_id: { type: 'bigint', references: 'sensor_types', gen: (c) => sensorTypeIndex(c.row.kind) + 1 },
      serial_number: { type: 'text', unique: true, gen: (c) => `SN-${c.row.sensor_type_id.toString(16).toUpperCase()}${String(c.i + 1).padStart(7, '0')}` },
      installed_on: { type: 'date', gen: (c) => new Date(Date.UTC(c.rng.int(2015, 2016), c.rng.int(0, 11), c.rng.int(1, 28))) },
      env: {
        type: jsonb<SensorEnv>(),
        virtual: true,
        gen: (c): SensorEnv => {
          const L = layout(c);
          const site = L.cSite[c.parentIndex]!;
          return { kind: c.row.kind, geo: AREAS[SITES[site]!.area]!.geo, stage: L.cStage[c.parentIndex]!, sea: SITES[site]!.kind === 'sea', offset: c.rng.normal(0, 0.15) };
        },
      },
      stays: { type: jsonb<readonly Stay[]>(), virtual: true, gen: (c) => staysOf(c, c.parentIndex, c.params.readingEveryMinutes * 60_000) },
    },
  },
  readings: {
    // One reading every `readingEveryMinutes` while the sensor's container holds a batch.
    per: {
      parent: 'sensors',
      count: (c) => { const every = c.params.readingEveryMinutes * 60_000; return readingCount(staysOf(c, c.parent.container_id - 1, every), every); },
    },
    description: 'Environmental readings of every sensor while its container is in use.',
    columns: {
      id: { type: 'bigint' },
      sensor_id: { type: 'bigint', references: 'sensors', gen: (c) => c.parentIndex + 1 },
      at: {
        type: jsonb<readonly [number, number]>(),
        virtual: true,
        gen: (c) => {
          const stays = c.parent.stays;
          let s = stays.length - 1;
          while (s > 0 && stays[s]!.before > c.k) s--;
          const x = stays[s]!;
          const t = x.start + (c.k - x.before) * c.params.readingEveryMinutes * 60_000;
          return [t, (t - x.start) / Math.max(1, x.end - x.start)] as const;
        },
      },
      measured_at: { type: 'timestamptz', gen: (c) => new Date(c.row.at[0]) },
      value: { type: 'double precision', gen: (c) => { const [t, frac] = c.row.at; return readingValue(c.parent.env, t, frac, c.rng); } },
    },
  },
});
