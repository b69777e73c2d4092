/**
 * What one value of each column type costs to load with text (CSV) and with binary COPY, client and
 * server together: the numbers behind the Postgres sink's per-table choice (stages/sinks/postgres/copy-cost.ts).
 *
 * For every type, tables of 1 and of 5 columns of that type get the same 200k rows of realistic values
 * (sequential keys, short sentences, random uuids, timestamps within a year, …):
 *   - client: the real encoders (`copy-csv`'s line and the PGCOPY binary row writer) into an off-heap
 *     buffer, best of 3;
 *   - server: `COPY … FROM STDIN` of those bytes (already in memory) into a table created in the same
 *     transaction, timed until the server's answer, best of 3.
 * A column's cost is (5-column time − 1-column time) / 4 per row; what is left of the 1-column time is the
 * per-row cost of the format. The cost table printed at the end is what copy-cost.ts holds.
 *
 *   node --import tsx scripts/bench/copy-costs.ts [rows]
 *
 * It starts a throwaway embedded PostgreSQL 18 (default settings) and removes it after.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ColumnInfo, ColumnType, TableInfo } from '../../src/tables.js';
import { Rng } from '../../src/random/rng.js';
import { hashString128 } from '../../src/random/hash.js';
import { ByteBuffer } from '../../src/encode/bytes.js';
import { csvTableEncoder } from '../../src/encode/csv.js';
import { pgBinaryTableEncoder, PGCOPY_HEADER, PGCOPY_TRAILER } from '../../src/encode/pgcopy.js';
import { renderCreateTables, renderEnumTypes } from '../../stages/sinks/postgres/ddl.js';
import { COST_TYPES, type CostType } from '../../stages/sinks/postgres/copy-cost.js';

const WORDS = ['the', 'billing', 'service', 'deploy', 'went', 'out', 'review', 'my', 'PR', 'for', 'migration', 'thanks', 'latency', 'is', 'back', 'to', 'normal'];
const ENUM = ['draft', 'open', 'paid', 'void', 'uncollectible'];
const YEAR_MS = 365 * 86_400_000;
const FROM = Date.UTC(2025, 0, 1);

/** The column type of a cost type, and a value of it for row i. */
function probe(t: CostType): { type: ColumnType; enumValues?: readonly string[]; value: (rng: Rng, i: number) => unknown } {
  switch (t) {
    case 'bigint': return { type: 'bigint', value: (_r, i) => i + 1 };
    case 'int': return { type: 'int', value: (r) => r.int(0, 1_000_000) };
    case 'smallint': return { type: 'smallint', value: (r) => r.int(0, 1000) };
    case 'double precision': return { type: 'double precision', value: (r) => r.float() * 1000 };
    case 'numeric': return { type: 'numeric(12,2)', value: (r) => Math.round(r.float() * 1_000_000) / 100 };
    case 'text': return { type: 'text', value: (r) => Array.from({ length: r.int(4, 9) }, () => r.pick(WORDS)).join(' ') };
    case 'boolean': return { type: 'boolean', value: (r) => r.chance(0.5) };
    case 'uuid': return { type: 'uuid', value: (r) => uuidOf(r) };
    case 'date': return { type: 'date', value: (r) => new Date(FROM + Math.floor(r.float() * 365) * 86_400_000) };
    case 'timestamptz': return { type: 'timestamptz', value: (r) => new Date(FROM + Math.floor(r.float() * YEAR_MS)) };
    case 'jsonb': return { type: 'jsonb', value: (r) => ({ plan: r.pick(ENUM), seats: r.int(1, 50), trial: r.chance(0.2) }) };
    case 'enum': return { type: 'text', enumValues: ENUM, value: (r) => r.pick(ENUM) };
  }
}

function uuidOf(r: Rng): string {
  let h = '';
  for (let k = 0; k < 4; k++) h += r.u32().toString(16).padStart(8, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function tableOf(t: CostType, width: number, rows: number): TableInfo {
  const p = probe(t);
  const columns: ColumnInfo[] = Array.from({ length: width }, (_, j) => ({
    name: `c${j}`, type: p.type, nullable: false, exported: true, deferred: false, ...(p.enumValues ? { enumValues: p.enumValues } : {}),
  }));
  return { name: `cost_${t.replace(/ /g, '_')}_${width}`, columns, primaryKey: [], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows, firstRow: 0 };
}

function valuesOf(t: CostType, width: number, rows: number): unknown[][] {
  const p = probe(t);
  const rng = new Rng();
  const key = Uint32Array.from(hashString128(`copy-costs:${t}`));
  const out: unknown[][] = [];
  for (let i = 0; i < rows; i++) {
    const row: unknown[] = [];
    for (let j = 0; j < width; j++) row.push(p.value(rng.reset(key, i, j), i));
    out.push(row);
  }
  return out;
}

function best(n: number, f: () => number): number {
  let b = Infinity;
  for (let k = 0; k < n; k++) b = Math.min(b, f());
  return b;
}

/** Client time (ms) to encode the rows, and the bytes. */
function encode(info: TableInfo, rows: unknown[][], format: 'text' | 'binary'): { ms: number; bytes: Buffer } {
  let bytes = Buffer.alloc(0);
  const ms = best(3, () => {
    const out = new ByteBuffer(rows.length * 32);
    const t0 = performance.now();
    if (format === 'text') {
      const line = csvTableEncoder(info, { columns: 'all', deferred: 'value', header: false }).line!;
      for (let i = 0; i < rows.length; i++) out.append(line(rows[i]!, i));
    } else {
      const append = pgBinaryTableEncoder(info, { deferred: 'value' }).appendRow!;
      out.raw(PGCOPY_HEADER);
      for (let i = 0; i < rows.length; i++) append(rows[i]!, i, out);
      out.raw(PGCOPY_TRAILER);
    }
    const dt = performance.now() - t0;
    bytes = Buffer.from(out.bytes());
    return dt;
  });
  return { ms, bytes };
}

/** Server time (ms): COPY of the bytes into a table created in the same transaction. */
async function load(client: pg.Client, info: TableInfo, bytes: Buffer, format: 'text' | 'binary'): Promise<number> {
  let b = Infinity;
  for (let k = 0; k < 3; k++) {
    await client.query('BEGIN');
    await client.query([...renderEnumTypes([info]), ...renderCreateTables([info])].join('\n'));
    const cols = info.columns.map((c) => `"${c.name}"`).join(', ');
    const t0 = performance.now();
    const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, j) => bytes.subarray(j * 65536, (j + 1) * 65536));
    await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY "${info.name}" (${cols}) FROM STDIN (FORMAT ${format === 'text' ? 'csv' : 'binary'})`)));
    b = Math.min(b, performance.now() - t0);
    await client.query('ROLLBACK');
  }
  return b;
}

export interface CostRow { type: CostType; text: number; binary: number; textClient: number; textServer: number; binaryClient: number; binaryServer: number }

export async function measureCopyCosts(url: string, rows: number, log: (l: string) => void = () => undefined): Promise<{ perRow: { text: number; binary: number }; columns: CostRow[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns: CostRow[] = [];
    const rowCost = { text: [] as number[], binary: [] as number[] };
    for (const t of COST_TYPES) {
      const per: Record<string, number> = {};
      for (const format of ['text', 'binary'] as const) {
        const times: Record<number, { client: number; server: number }> = {};
        for (const width of [1, 5]) {
          const info = tableOf(t, width, rows);
          const values = valuesOf(t, width, rows);
          const enc = encode(info, values, format);
          times[width] = { client: enc.ms, server: await load(client, info, enc.bytes, format) };
        }
        const ns = (ms: number): number => (ms * 1e6) / rows;
        per[`${format}Client`] = ns((times[5]!.client - times[1]!.client) / 4);
        per[`${format}Server`] = ns((times[5]!.server - times[1]!.server) / 4);
        rowCost[format].push(ns(times[1]!.client + times[1]!.server) - per[`${format}Client`]! - per[`${format}Server`]!);
      }
      const row: CostRow = {
        type: t, textClient: per.textClient!, textServer: per.textServer!, binaryClient: per.binaryClient!, binaryServer: per.binaryServer!,
        text: per.textClient! + per.textServer!, binary: per.binaryClient! + per.binaryServer!,
      };
      columns.push(row);
      log(`${t}: text ${row.text.toFixed(0)} ns, binary ${row.binary.toFixed(0)} ns per value`);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { perRow: { text: median(rowCost.text), binary: median(rowCost.binary) }, columns };
  } finally {
    await client.end();
  }
}

export function formatCopyCosts(r: Awaited<ReturnType<typeof measureCopyCosts>>): string {
  const head = ['type', 'text client', 'text server', 'text', 'binary client', 'binary server', 'binary', 'cheaper'];
  const body = r.columns.map((c) => [c.type, ...[c.textClient, c.textServer, c.text, c.binaryClient, c.binaryServer, c.binary].map((x) => x.toFixed(0)), c.text < c.binary ? 'text' : 'binary']);
  body.push(['(per row)', '', '', r.perRow.text.toFixed(0), '', '', r.perRow.binary.toFixed(0), r.perRow.text < r.perRow.binary ? 'text' : 'binary']);
  const w = head.map((h, j) => Math.max(h.length, ...body.map((b) => b[j]!.length)));
  const line = (c: string[]): string => c.map((s, j) => (j === 0 ? s.padEnd(w[j]!) : s.padStart(w[j]!))).join('  ');
  const table = [line(head), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n');
  const consts = r.columns.map((c) => `  ${JSON.stringify(c.type)}: { text: ${Math.round(c.text)}, binary: ${Math.round(c.binary)} },`).join('\n');
  return `ns per value (client encode + server COPY):\n${table}\n\nfor copy-cost.ts:\nPER_ROW = { text: ${Math.round(r.perRow.text)}, binary: ${Math.round(r.perRow.binary)} }\n${consts}`;
}

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 200_000);
  const { startEmbedded, stopEmbedded } = await import('../../src/db/embedded.js');
  const dir = await mkdtemp(join(tmpdir(), 'seedpipe-copy-costs-'));
  await chmod(dir, 0o755);
  try {
    const server = await startEmbedded({ dir: join(dir, 'pg') });
    const r = await measureCopyCosts(server.url, rows, (l) => console.error(`  ${l}`));
    console.log(formatCopyCosts(r));
  } finally {
    await stopEmbedded(join(dir, 'pg')).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
