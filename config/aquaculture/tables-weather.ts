/**
 * aquaculture weather at sea (a gap of the source document): a station at every sea site,
 * observations every few hours (wind with seasonal storms, waves that follow the wind, air
 * temperature near the sea's, pressure falling with wind, rain), and storm alerts on the days whose
 * observations reached gale force.
 */
import { defineTables, jsonb, type RowsIn } from '../../src/index.js';
import type { params } from './params.js';
import type { farmTables } from './tables-farm.js';
import type { opsTables } from './tables-ops.js';
import { AREAS, DAY_MS, EPOCH, REF_MS, SEA_SITES, SITES, type Geo } from './catalogs.js';
import { hashU, perRun, salt, seaTemperature, type AquaContext, type AquaRows } from './farm.js';

export const STATIONS: readonly number[] = SEA_SITES.flat();
/** Storm: a 10-minute mean wind of 20 m/s or more (gale force 8+). */
export const STORM_MS = 20;

export interface Weather {
  wind: number;
  gust: number;
  wave: number;
  air: number;
  pressure: number;
  rain: number;
}

/** The weather at station s, observation k (k × step from the epoch): a pure function of (station, time). */
export function weatherAt(c: AquaContext, s: number, t: number): Weather {
  const geo = AREAS[SITES[STATIONS[s]!]!.area]!.geo as Geo;
  const doy = ((t - Date.UTC(2017, 0, 1)) / DAY_MS) % 365.25;
  const winter = 0.5 + 0.5 * Math.cos((2 * Math.PI * (doy - 15)) / 365.25);
  const x = salt(c);
  // Weather systems: a few days long, shared along a coast (geography), with local gusts.
  const system = Math.floor((t - EPOCH) / (3 * DAY_MS));
  const front = hashU(x, 4_201 + geo, system);
  const base = (geo === 0 ? 8 : 6.5) + 5 * winter + (front > 0.9 ? 10 * (front - 0.9) * 10 * winter : 0);
  const wind = Math.round(Math.max(0.3, base * (0.7 + 0.6 * hashU(x, 4_300 + s, Math.floor(t / 3_600_000)))) * 10) / 10;
  const gust = Math.round(wind * (1.25 + 0.2 * hashU(x, 4_400 + s, Math.floor(t / 3_600_000))) * 10) / 10;
  const wave = Math.round(0.021 * wind * wind * 10) / 10 + 0.3;
  const air = Math.round((seaTemperature(geo, t) - 1.5 - 2 * winter + 3 * (hashU(x, 4_500 + s, Math.floor(t / DAY_MS)) - 0.5)) * 10) / 10;
  const pressure = Math.round((1_013 - 1.2 * (wind - 8) + 6 * (hashU(x, 4_600 + geo, system) - 0.5)) * 10) / 10;
  const rain = hashU(x, 4_700 + s, Math.floor(t / 3_600_000)) < 0.25 + 0.25 * winter ? Math.round(hashU(x, 4_800 + s, t) * 4 * 10) / 10 : 0;
  return { wind, gust, wave: Math.round(wave * 10) / 10, air, pressure, rain };
}

const stepMs = (c: AquaContext): number => c.params.weatherEveryHours * 3_600_000;
const observations = (c: AquaContext): number => Math.floor((REF_MS - EPOCH) / stepMs(c));

/** Storm days of each station: days with an observation at or above gale force (one scan per run). */
export function stormDays(c: AquaContext, s: number): readonly number[] {
  const all = perRun(c, 'storms', () => STATIONS.map((_, st) => {
    const days: number[] = [];
    const n = observations(c);
    for (let k = 0; k < n; k++) {
      const t = EPOCH + k * stepMs(c);
      const day = Math.floor((t - EPOCH) / DAY_MS);
      if (weatherAt(c, st, t).wind >= STORM_MS && days.at(-1) !== day) days.push(day);
    }
    return days;
  }));
  return all[s]!;
}

export const weatherTables = defineTables<AquaRows & RowsIn<typeof farmTables> & RowsIn<typeof opsTables>, typeof params>()({
  weather_stations: {
    rows: STATIONS.length,
    catalog: true,
    columns: {
      id: { type: 'bigint' },
      site_id: { type: 'bigint', unique: true, references: 'sites', gen: (c) => STATIONS[c.i]! + 1 },
      name: { type: 'text', unique: true, gen: (c) => `${SITES[STATIONS[c.i]!]!.name} weather station` },
      latitude: { type: 'numeric(8,5)', gen: (c) => SITES[STATIONS[c.i]!]!.lat },
      longitude: { type: 'numeric(8,5)', gen: (c) => SITES[STATIONS[c.i]!]!.lon },
      elevation_m: { type: 'smallint', gen: (c) => c.rng.int(4, 25) },
    },
  },
  weather_observations: {
    per: { parent: 'weather_stations', count: (c) => observations(c) },
    description: 'Observations every `weatherEveryHours` since the first batch.',
    checks: ['gust_ms >= wind_ms', 'wind_ms >= 0', 'wave_height_m > 0'],
    columns: {
      id: { type: 'bigint' },
      weather_station_id: { type: 'bigint', references: 'weather_stations', gen: (c) => c.parentIndex + 1 },
      t: { type: 'bigint', virtual: true, gen: (c) => EPOCH + c.k * stepMs(c) },
      w: { type: jsonb<Weather>(), virtual: true, gen: (c) => weatherAt(c, c.parentIndex, c.row.t) },
      observed_at: { type: 'timestamptz', gen: (c) => new Date(c.row.t) },
      wind_ms: { type: 'numeric(5,1)', gen: (c) => c.row.w.wind },
      gust_ms: { type: 'numeric(5,1)', gen: (c) => c.row.w.gust },
      wave_height_m: { type: 'numeric(5,1)', gen: (c) => c.row.w.wave },
      air_temperature_c: { type: 'numeric(5,1)', gen: (c) => c.row.w.air },
      pressure_hpa: { type: 'numeric(6,1)', gen: (c) => c.row.w.pressure },
      precipitation_mm: { type: 'numeric(5,1)', gen: (c) => c.row.w.rain },
    },
  },
  weather_alerts: {
    per: { parent: 'weather_stations', count: (c) => stormDays(c, c.parentIndex).length },
    uniques: [['weather_station_id', 'alert_date']],
    description: 'A storm day at a station (an observation reached gale force): well-boat and feeding operations are suspended.',
    columns: {
      id: { type: 'bigint' },
      weather_station_id: { type: 'bigint', references: 'weather_stations', gen: (c) => c.parentIndex + 1 },
      alert_date: { type: 'date', gen: (c) => new Date(EPOCH + stormDays(c, c.parentIndex)[c.k]! * DAY_MS) },
      level: { type: { enum: ['gale', 'storm'] }, gen: () => 'gale' },
      message: { type: 'text', gen: (c) => `Gale warning for ${SITES[STATIONS[c.parentIndex]!]!.name}: suspend well-boat and barge operations.` },
    },
  },
});
