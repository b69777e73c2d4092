/**
 * Resolves a dataset with the run's choices (profile, scale, seed, `--set`) into row counts and
 * parameter values. Pure; errors say what to change.
 */
import { usageError } from '../errors.js';
import type { DatasetDef, Params } from '../dataset/types.js';
import type { Resolved } from '../generate/world.js';

export interface ResolveOptions {
  profile?: string;
  /** Multiplies every `rows` count. Default 1. */
  scale?: number;
  seed?: number;
  /** `table.rows=N` or `param=value` assignments. */
  set?: readonly string[];
  /** Existing rows per `rows` table (append mode): new rows continue after them. */
  offsets?: Readonly<Record<string, number>>;
}

/**
 * Most rows one table may have in a run: row indexes and prefix sums are doubles, and keys must stay well
 * inside 2^53; a trillion rows is far beyond what one run can write in reasonable time anyway.
 */
export const MAX_TABLE_ROWS = 1e12;

export function profileNames(def: DatasetDef): string[] {
  return Object.keys(def.profiles ?? {});
}

export function defaultProfile(def: DatasetDef): string {
  if (def.defaultProfile) return def.defaultProfile;
  const names = profileNames(def);
  if (names.includes('medium')) return 'medium';
  return names[0] ?? 'default';
}

export function resolveDataset(def: DatasetDef, opts: ResolveOptions = {}): Resolved {
  const profileName = opts.profile ?? defaultProfile(def);
  const profiles = def.profiles ?? {};
  const profile = profiles[profileName];
  if (!profile && !(profileName === 'default' && profileNames(def).length === 0)) {
    const names = profileNames(def);
    throw usageError('PROFILE_UNKNOWN', names.length
      ? `unknown profile "${profileName}" for dataset ${def.name}; choose one of: ${names.join(', ')}`
      : `dataset ${def.name} declares no profiles; leave --profile out (use --scale or --set table.rows=N to change row counts)`, { profile: profileName });
  }
  const scale = opts.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw usageError('SCALE_INVALID', `--scale must be a positive number (got ${opts.scale})`);
  const params: Params = { ...(def.params ?? {}), ...(profile?.params ?? {}) };
  const rowOverrides: Record<string, number> = {};
  for (const assignment of opts.set ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?=(.*)$/.exec(assignment);
    if (!m) throw usageError('SET_INVALID', `--set ${assignment}: expected table.rows=N or param=value`);
    const [, a, b, value] = m as unknown as [string, string, string | undefined, string];
    if (b !== undefined) {
      if (!def.tables[a]) throw usageError('SET_UNKNOWN_TABLE', `--set ${assignment}: unknown table "${a}"; tables: ${Object.keys(def.tables).join(', ')}`);
      if (b !== 'rows') throw usageError('SET_INVALID', `--set ${assignment}: only "rows" can be set on a table`);
      if (def.tables[a]!.rows === undefined) throw usageError('SET_INVALID', `--set ${assignment}: ${a} gets its rows from its parent table; set the parent's rows or a parameter instead`);
      if (def.tables[a]!.catalog) throw usageError('SET_INVALID', `--set ${assignment}: ${a} is a catalog of ${def.tables[a]!.rows} rows the dataset defines; its row count does not change (leave it out)`);
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw usageError('SET_INVALID', `--set ${assignment}: rows must be a non-negative integer`);
      rowOverrides[a] = n;
      continue;
    }
    if (!def.params || !(a in def.params)) {
      throw usageError('SET_UNKNOWN_PARAM', `--set ${assignment}: unknown parameter "${a}"; declared parameters: ${Object.keys(def.params ?? {}).join(', ') || '(none)'}`);
    }
    params[a] = coerce(a, value, def.params[a]!);
  }
  const rows: Record<string, number> = {};
  for (const [name, t] of Object.entries(def.tables)) {
    if (t.rows === undefined) continue;
    // Rows that already exist (append mode) count towards the fixed rows.
    const existing = opts.offsets?.[name] ?? 0;
    const fixedMissing = Math.max(0, (t.fixed?.length ?? 0) - existing);
    // A catalog (declared, or a table made only of fixed rows) does not scale, and appending adds
    // only the rows not there yet.
    if (t.catalog) {
      rows[name] = Math.max(0, t.rows - existing);
      continue;
    }
    if (t.fixed && t.rows === t.fixed.length && profile?.rows?.[name] === undefined && rowOverrides[name] === undefined) {
      rows[name] = fixedMissing;
      continue;
    }
    const base = profile?.rows?.[name] ?? t.rows;
    const scaled = rowOverrides[name] ?? Math.round(base * (profile?.scale ?? 1) * scale);
    rows[name] = Math.max(scaled, fixedMissing);
    if (!(rows[name]! <= MAX_TABLE_ROWS)) {
      throw usageError('ROWS_TOO_MANY', `table ${name} would get ${rows[name]!.toExponential(2)} rows (profile ${profileName}, scale ${scale}${rowOverrides[name] !== undefined ? ', --set' : ''}); one run writes at most ${MAX_TABLE_ROWS.toExponential(0)} rows per table: lower --scale or the row count`, { table: name });
    }
  }
  for (const [t, n] of Object.entries(opts.offsets ?? {})) {
    if (!def.tables[t]) throw usageError('OFFSET_UNKNOWN_TABLE', `unknown table "${t}" in offsets`);
    if (!Number.isInteger(n) || n < 0) throw usageError('OFFSET_INVALID', `offset of ${t} must be a non-negative integer`);
  }
  return {
    def,
    seed: opts.seed ?? def.seed,
    profile: profileName,
    scale,
    params: Object.freeze(params),
    rows: Object.freeze(rows),
    offsets: Object.freeze({ ...(opts.offsets ?? {}) }),
  };
}

function coerce(name: string, value: string, like: number | string | boolean): number | string | boolean {
  if (typeof like === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw usageError('SET_INVALID', `--set ${name}=${value}: ${name} is a number`);
    return n;
  }
  if (typeof like === 'boolean') {
    if (value !== 'true' && value !== 'false') throw usageError('SET_INVALID', `--set ${name}=${value}: ${name} is true or false`);
    return value === 'true';
  }
  return value;
}
