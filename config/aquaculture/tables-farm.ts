/**
 * aquaculture infrastructure and sensor streams: geographies → areas → sites → halls and
 * containers (tanks, trays, sea pens) → sensors → readings. Readings exist only while the
 * sensor's container is in use by a batch.
 */
import type { TableDef } from '../../src/index.js';
import { AREAS, GEOGRAPHIES, REF_DAY, SENSOR_TYPES, SITES, STAGES, dayMs, sensorTypeIndex } from './catalogs.js';
import { batchPlan, containersAt, layout, readingValue, type SensorEnv } from './farm.js';

/** The period a container is in use: its batch stage, up to the day it is emptied (or now). */
function activePeriod(c: Parameters<typeof layout>[0], container: number): { start: number; end: number; stage: number } {
  const L = layout(c);
  const plan = batchPlan(c, L.batch[container]!);
  const stage = L.stage[container]!;
  const sp = plan.stages[stage]!;
  const start = dayMs(sp.startDay);
  const end = dayMs(Math.min(sp.departDay[L.j[container]!]!, REF_DAY));
  return { start, end: Math.max(start, end), stage };
}

export const farmTables: Record<string, TableDef> = {
  geographies: {
    rows: GEOGRAPHIES.length,
    fixed: GEOGRAPHIES.map((g) => ({ code: g.code, name: g.name, timezone: g.timezone, currency: g.currency })),
    columns: {
      id: { type: 'bigint' },
      // A per-seed value behind the hashed noise of feed rations, prices and harvest grading.
      salt: { type: 'bigint', virtual: true, gen: (c) => c.rng.u32() },
      code: { type: 'text', unique: true, gen: (c) => `G${c.i}` },
      name: { type: 'text', gen: () => '' },
      timezone: { type: 'text', gen: () => 'UTC' },
      currency: { type: 'text', gen: () => 'EUR' },
    },
  },
  areas: {
    rows: AREAS.length,
    fixed: AREAS.map((a) => ({ name: a.name, geography_id: a.geo + 1 })),
    columns: {
      id: { type: 'bigint' },
      geography_id: { type: 'bigint', references: 'geographies', gen: () => 1 },
      name: { type: 'text', unique: true, gen: (c) => `Area ${c.i + 1}` },
    },
  },
  sites: {
    rows: SITES.length,
    fixed: SITES.map((s) => ({ name: s.name, area_id: s.area + 1, kind: s.kind, latitude: s.lat, longitude: s.lon })),
    columns: {
      id: { type: 'bigint' },
      area_id: { type: 'bigint', references: 'areas', gen: () => 1 },
      name: { type: 'text', unique: true, gen: (c) => `Site ${c.i + 1}` },
      kind: { type: { enum: ['freshwater', 'sea'] }, gen: () => 'sea' },
      latitude: { type: 'numeric(8,5)', gen: () => 0 },
      longitude: { type: 'numeric(8,5)', gen: () => 0 },
      licence_tonnes: { type: 'int', gen: (c) => (SITES[c.i]!.kind === 'sea' ? c.rng.pick([3_500, 5_000, 7_000, 9_500]) : c.rng.pick([400, 800, 1_200])) },
    },
  },
  lifecycle_stages: {
    rows: STAGES.length,
    fixed: STAGES.map((s, j) => ({ name: s.name, position: j + 1, typical_days: s.days, start_weight_g: s.w0, end_weight_g: s.w1 })),
    columns: {
      id: { type: 'bigint' },
      name: { type: 'text', unique: true, gen: (c) => `stage ${c.i}` },
      position: { type: 'smallint', unique: true, gen: (c) => c.i + 1 },
      typical_days: { type: 'int', gen: () => 90 },
      start_weight_g: { type: 'numeric(10,2)', gen: () => 0 },
      end_weight_g: { type: 'numeric(10,2)', gen: () => 0 },
    },
  },
  sensor_types: {
    rows: SENSOR_TYPES.length,
    fixed: SENSOR_TYPES.map((t) => ({ kind: t.kind, unit: t.unit, model: t.model })),
    columns: {
      id: { type: 'bigint' },
      kind: { type: 'text', unique: true, gen: (c) => `kind ${c.i}` },
      unit: { type: 'text', gen: () => '' },
      model: { type: 'text', gen: () => '' },
    },
  },
  halls: {
    per: { parent: 'sites', count: (c) => (SITES[c.parentIndex]!.kind === 'freshwater' ? STAGES.length - 1 : 0) },
    uniques: [['site_id', 'name']],
    description: 'Buildings of a hatchery, one per freshwater stage.',
    columns: {
      id: { type: 'bigint' },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => c.parentIndex + 1 },
      lifecycle_stage_id: { type: 'bigint', references: 'lifecycle_stages', gen: (c) => c.k + 1 },
      name: { type: 'text', gen: (c) => STAGES[c.k]!.hall! },
      built_on: { type: 'date', gen: (c) => new Date(Date.UTC(c.rng.int(2008, 2020), c.rng.int(0, 11), 1)) },
    },
  },
  containers: {
    per: { parent: 'sites', count: (c) => containersAt(c.parentIndex, c.count('batches')) },
    uniques: [['site_id', 'name']],
    description: 'Incubation trays and tanks in halls, pens at sea sites. Each hosts one batch stage.',
    checks: ['(container_type = \'sea_pen\') = (hall_id IS NULL)'],
    columns: {
      id: { type: 'bigint' },
      site_id: { type: 'bigint', references: 'sites', gen: (c) => c.parentIndex + 1 },
      stage: { type: 'int', virtual: true, gen: (c) => layout(c).stage[c.i] },
      hall_id: { type: 'bigint', nullable: true, references: 'halls', gen: (c) => (SITES[c.parentIndex]!.kind === 'sea' ? null : layout(c).hallStart[c.parentIndex]! + (c.row.stage as number) + 1) },
      name: { type: 'text', gen: (c) => `${STAGES[c.row.stage as number]!.containerType === 'sea_pen' ? 'Pen' : 'Tank'} ${String(c.k + 1).padStart(3, '0')}` },
      container_type: {
        type: { enum: STAGES.map((s) => s.containerType) as [string, ...string[]] },
        gen: (c) => STAGES[c.row.stage as number]!.containerType,
      },
      volume_m3: { type: 'numeric(10,1)', gen: (c) => Math.round(STAGES[c.row.stage as number]!.volumeM3 * c.rng.uniform(0.9, 1.1) * 10) / 10 },
      commissioned_on: { type: 'date', gen: (c) => new Date(Date.UTC(c.rng.int(2012, 2021), c.rng.int(0, 11), 1)) },
    },
  },
  sensors: {
    per: { parent: 'containers', count: (c) => STAGES[layout(c).stage[c.parentIndex]!]!.sensors.length },
    uniques: [['container_id', 'sensor_type_id']],
    columns: {
      id: { type: 'bigint' },
      container_id: { type: 'bigint', references: 'containers', gen: (c) => c.parentIndex + 1 },
      kind: { type: 'text', virtual: true, gen: (c) => STAGES[layout(c).stage[c.parentIndex]!]!.sensors[c.k] },
      sensor_type_id: { type: 'bigint', references: 'sensor_types', gen: (c) => sensorTypeIndex(c.row.kind as SensorEnv['kind']) + 1 },
      serial_number: { type: 'text', unique: true, gen: (c) => `SN-${(c.row.sensor_type_id as number).toString(16).toUpperCase()}${String(c.i + 1).padStart(7, '0')}` },
      installed_on: { type: 'date', gen: (c) => new Date(Date.UTC(c.rng.int(2019, 2021), c.rng.int(0, 11), c.rng.int(1, 28))) },
      env: {
        type: 'jsonb',
        virtual: true,
        gen: (c): SensorEnv => {
          const L = layout(c);
          const container = c.parentIndex;
          const plan = batchPlan(c, L.batch[container]!);
          const stage = L.stage[container]!;
          const sp = plan.stages[stage]!;
          return { kind: c.row.kind as SensorEnv['kind'], geo: plan.geo, stage, startDay: sp.startDay, endDay: sp.endDay, sea: SITES[L.site[container]!]!.kind === 'sea', offset: c.rng.normal(0, 0.15) };
        },
      },
    },
  },
  readings: {
    // One reading every `readingEveryMinutes` while the sensor's container is in use.
    per: {
      parent: 'sensors',
      count: (c) => {
        const p = activePeriod(c, (c.parent.container_id as number) - 1);
        return Math.max(0, Math.ceil((p.end - p.start) / ((c.params.readingEveryMinutes as number) * 60_000)));
      },
    },
    description: 'Environmental readings of every sensor while its container is in use.',
    columns: {
      id: { type: 'bigint' },
      sensor_id: { type: 'bigint', references: 'sensors', gen: (c) => c.parentIndex + 1 },
      measured_at: { type: 'timestamptz', gen: (c) => new Date(dayMs((c.parent.env as SensorEnv).startDay) + c.k * (c.params.readingEveryMinutes as number) * 60_000) },
      value: { type: 'double precision', gen: (c) => readingValue(c.parent.env as SensorEnv, (c.row.measured_at as Date).getTime(), c.rng) },
    },
  },
};

