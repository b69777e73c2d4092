/**
 * The run manifest shared by the CSV and S3 sinks (`manifest.json` + `metadata.csv`), and read by
 * `seedpipe verify`. Written last: its presence means the generation is complete.
 */
import type { RunInfo } from './contracts.js';

export const MANIFEST_FILE = 'manifest.json';
export const METADATA_FILE = 'metadata.csv';

export interface ManifestFile {
  table: string;
  /** File name relative to the manifest's folder, e.g. `users.csv` or `users.csv.gz`. */
  file: string;
  /** Data rows (header excluded). */
  rows: number;
  /** Bytes as stored (compressed size for `.gz`). */
  bytes: number;
  /** sha256 (hex) of the bytes as stored. */
  sha256: string;
  /** S3 ETag, when uploaded. */
  etag?: string;
}

export interface Manifest {
  format: 'seedpipe-manifest/1';
  dataset: string;
  seed: number;
  profile: string;
  scale: number;
  refDate: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  versions: RunInfo['versions'];
  shard?: RunInfo['shard'];
  /** Where the rows came from, for a run that read them (an export). */
  source?: string;
  compression: 'none' | 'gzip';
  /**
   * Each exported table's columns (name, type, nullable, enum values in the engine's types) and keys,
   * in load order: what a reader of the files needs to type them (`seedpipe`'s CSV source does).
   */
  tables?: ManifestTable[];
  files: ManifestFile[];
}

export interface ManifestTable {
  name: string;
  columns: { name: string; type: string; nullable: boolean; enumValues?: readonly string[] }[];
  primaryKey: readonly string[];
  foreignKeys: readonly { columns: readonly string[]; table: string; refColumns: readonly string[] }[];
}

/** The exported tables' shape, as the files hold them (exported columns only). */
export function manifestTables(run: RunInfo): ManifestTable[] {
  return run.tables
    .filter((t) => t.exported)
    .map((t) => {
      const cols = t.columns.filter((c) => c.exported);
      const has = (names: readonly string[]): boolean => names.every((n) => cols.some((c) => c.name === n));
      return {
        name: t.name,
        columns: cols.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, ...(c.enumValues ? { enumValues: c.enumValues } : {}) })),
        primaryKey: has(t.primaryKey) ? t.primaryKey : [],
        foreignKeys: t.foreignKeys.filter((f) => has(f.columns)).map((f) => ({ columns: f.columns, table: f.table, refColumns: f.refColumns })),
      };
    });
}

export function buildManifest(run: RunInfo, files: ManifestFile[], opts: { finishedAt: Date; compression: 'none' | 'gzip' }): Manifest {
  const started = Date.parse(run.startedAt);
  return {
    format: 'seedpipe-manifest/1',
    dataset: run.dataset,
    seed: run.seed,
    profile: run.profile,
    scale: run.scale,
    refDate: run.refDate,
    startedAt: run.startedAt,
    finishedAt: opts.finishedAt.toISOString(),
    durationMs: opts.finishedAt.getTime() - started,
    versions: run.versions,
    ...(run.shard ? { shard: run.shard } : {}),
    ...(run.source ? { source: run.source } : {}),
    compression: opts.compression,
    tables: manifestTables(run),
    files,
  };
}

/** `metadata.csv`: one line per table with generation statistics, for spreadsheet users. */
export function renderMetadataCsv(m: Manifest): string {
  const header = 'table,file,rows,bytes,sha256,dataset,seed,profile,seedpipe_version,faker_version,generated_at';
  const lines = m.files.map((f) =>
    [f.table, f.file, f.rows, f.bytes, f.sha256, m.dataset, m.seed, m.profile, m.versions.seedpipe, m.versions.faker, m.finishedAt]
      .map((v) => csvField(String(v)))
      .join(','),
  );
  return [header, ...lines].join('\n') + '\n';
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function parseManifest(text: string, where: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new Error(`${where}: manifest.json is not valid JSON`);
  }
  if (!m || typeof m !== 'object' || (m as Manifest).format !== 'seedpipe-manifest/1' || !Array.isArray((m as Manifest).files)) {
    throw new Error(`${where}: not a seedpipe manifest (expected format "seedpipe-manifest/1")`);
  }
  return m as Manifest;
}

/** What one shard of a run wrote: the input of the manifest merge. */
export interface ShardFiles {
  shard: { index: number; count: number };
  compression: 'none' | 'gzip';
  files: ManifestFile[];
}

/**
 * The manifest of a whole sharded run, from what every shard wrote (CSV part manifests, S3 shard
 * records): files in the run's table order, then by name (part-00 … part-15). `missing` lists the
 * shard indexes of `count` that are absent; the caller refuses to write a manifest then.
 */
export function mergeShardManifests(run: RunInfo, shards: readonly ShardFiles[], count: number, finishedAt: Date): { manifest: Manifest; missing: number[] } {
  // Records of another split of the same folder (a different count) are not part of this run.
  const mine = shards.filter((s) => s.shard.count === count);
  const seen = new Set(mine.map((s) => s.shard.index));
  const missing = Array.from({ length: count }, (_, k) => k).filter((k) => !seen.has(k));
  const order = new Map(run.tables.map((t, i) => [t.name, i]));
  const files = [...mine]
    .sort((a, b) => a.shard.index - b.shard.index)
    .flatMap((s) => s.files)
    .sort((a, b) => (order.get(a.table) ?? 1e9) - (order.get(b.table) ?? 1e9) || a.file.localeCompare(b.file, 'en', { numeric: true }));
  const { shard: _shard, ...whole } = run;
  const compression = mine.some((s) => s.compression === 'gzip') ? 'gzip' : 'none';
  return { manifest: buildManifest(whole, files, { finishedAt, compression }), missing };
}
