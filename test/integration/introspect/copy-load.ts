/**
 * An independent check of generated data: a minimal sink that writes every column of every row
 * (secrets included, deferred foreign keys with their final values) to CSV files, and a loader that
 * COPYs them with plain `COPY … FROM STDIN (FORMAT csv)` into the real schema, every constraint in
 * place, in plan order. Postgres itself then checks each CHECK, unique, partial unique and foreign
 * key. Columns loaded NULL to break a nullable cycle are set afterwards with one UPDATE per table;
 * only a cycle of NOT NULL keys (left undeclared in the dataset) needs the foreign keys set aside,
 * and then every foreign key is verified with an anti-join.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RunInfo, Sink, SinkBatch, SinkInput, SinkSummary, TableInfo, TableResult, TableWriter } from '../../../src/contracts.js';
import { formatterFor } from '../../../src/encode/csv.js';
import type { Plan } from '../../../src/index.js';

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
export const qualified = (info: TableInfo): string => `${ident(info.schema ?? 'public')}.${ident(info.sqlName ?? info.name)}`;
const sqlCol = (info: TableInfo, name: string): string => ident(info.columns.find((c) => c.name === name)?.sqlName ?? name);

interface Staged {
  info: TableInfo;
  main: string;
  deferred: string | null;
  rows: number;
}

/** Writes all columns of every row: `<table>.csv` (deferred columns NULL) and `<table>.deferred.csv` (key + deferred values). */
export class FullCsvSink implements Sink {
  readonly name = 'full-csv';
  readonly staged: Staged[] = [];
  constructor(readonly dir: string) {}
  input(): SinkInput {
    return { rows: true };
  }
  async open(_run: RunInfo): Promise<void> {}
  async table(info: TableInfo): Promise<TableWriter> {
    const fmts = info.columns.map((c) => formatterFor(info.name, { ...c, nullable: true }));
    const deferred = info.columns.map((c, j) => (c.deferred ? j : -1)).filter((j) => j >= 0);
    const keys = info.primaryKey.map((k) => info.columns.findIndex((c) => c.name === k));
    const main = join(this.dir, `${info.name}.csv`);
    const dfile = deferred.length ? join(this.dir, `${info.name}.deferred.csv`) : null;
    const out = createWriteStream(main);
    const dout: WriteStream | null = dfile ? createWriteStream(dfile) : null;
    const st: Staged = { info, main, deferred: dfile, rows: 0 };
    this.staged.push(st);
    const write = (s: WriteStream, text: string): Promise<void> => new Promise((res, rej) => void s.write(text, (e) => (e ? rej(e) : res())));
    return {
      write: async (b: SinkBatch) => {
        let text = '';
        let dtext = '';
        (b.rows ?? []).forEach((row, r) => {
          text += row.map((v, j) => (deferred.includes(j) ? '' : fmts[j]!(v, b.start + r))).join(',') + '\n';
          if (dout) dtext += [...keys, ...deferred].map((j) => fmts[j]!(row[j], b.start + r)).join(',') + '\n';
        });
        st.rows += b.count;
        await write(out, text);
        if (dout && dtext) await write(dout, dtext);
      },
      close: async (): Promise<TableResult> => {
        await new Promise<void>((res) => out.end(res));
        if (dout) await new Promise<void>((res) => dout.end(res));
        return { table: info.name, rows: st.rows, bytes: 0 };
      },
    };
  }
  async commit(results: readonly TableResult[]): Promise<SinkSummary> {
    return { sink: this.name, location: this.dir, tables: results };
  }
  async abort(): Promise<void> {}
}

export async function fullCsvSink(): Promise<FullCsvSink> {
  return new FullCsvSink(await mkdtemp(join(tmpdir(), 'seedpipe-fullcsv-')));
}

export interface LoadResult {
  rows: Record<string, number>;
  /** Whether foreign keys had to be set aside (a NOT NULL cycle). */
  replica: boolean;
}

async function copyFile(c: pg.Client, table: string, cols: string, file: string): Promise<void> {
  await pipeline(createReadStream(file), c.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN (FORMAT csv)`)));
}

/**
 * Loads the staged files into `url`, in plan order, in one transaction. Throws Postgres' own error
 * (with the constraint it names) on the first row that breaks a constraint.
 */
export async function copyLoad(url: string, plan: Plan, sink: FullCsvSink, opts: { setAsideForeignKeys?: boolean } = {}): Promise<LoadResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const byName = new Map(sink.staged.map((s) => [s.info.name, s]));
  // A NOT NULL cycle (a key left undeclared in the dataset): no load order satisfies it row by row.
  const replica = opts.setAsideForeignKeys === true;
  try {
    await c.query('BEGIN');
    if (replica) await c.query(`SET LOCAL session_replication_role = replica`);
    for (const t of plan.tables) {
      const s = byName.get(t.name);
      if (!s) continue;
      await copyFile(c, qualified(s.info), s.info.columns.map((x) => sqlCol(s.info, x.name)).join(', '), s.main);
    }
    for (const t of plan.tables) {
      const s = byName.get(t.name);
      if (!s?.deferred) continue;
      const info = s.info;
      const deferred = info.columns.filter((x) => x.deferred);
      const keyCols = info.primaryKey.map((k) => info.columns.find((x) => x.name === k)!);
      const tmp = ident(`_deferred_${info.name}`);
      await c.query(`CREATE TEMP TABLE ${tmp} ON COMMIT DROP AS SELECT ${[...keyCols, ...deferred].map((x) => sqlCol(info, x.name)).join(', ')} FROM ${qualified(info)} WITH NO DATA`);
      await copyFile(c, tmp, [...keyCols, ...deferred].map((x) => sqlCol(info, x.name)).join(', '), s.deferred);
      await c.query(`UPDATE ${qualified(info)} t SET ${deferred.map((x) => `${sqlCol(info, x.name)} = d.${sqlCol(info, x.name)}`).join(', ')} FROM ${tmp} d WHERE ${keyCols.map((k) => `t.${sqlCol(info, k.name)} = d.${sqlCol(info, k.name)}`).join(' AND ')}`);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    await c.end();
    throw e;
  }
  const rows: Record<string, number> = {};
  for (const s of sink.staged) rows[s.info.name] = Number((await c.query(`SELECT count(*) AS n FROM ${qualified(s.info)}`)).rows[0].n);
  await c.end();
  return { rows, replica };
}
