/**
 * Which COPY format each table is loaded with: `binary` (the `copy-binary` encoding) or `text`
 * (`copy-csv`). Binary COPY does not convert between types, so it is used only for a table whose
 * every dataset column meets a database column of exactly the type the binary bytes are for (the
 * catalog's, read after the tables were created or checked); any other table is loaded as CSV.
 *
 * `--copy-format auto` (the default) takes binary where it applies and is estimated cheaper for the
 * table's column types (copy-cost.ts: client encoding and server parsing per value, measured): the
 * server then parses no text (timestamps, numbers), most of its share of a load. As measured, that is
 * every table but one of almost nothing but numerics, where the two formats are level.
 * `text` loads every table as CSV; `binary` loads every table in binary and refuses a run where some
 * table cannot be, naming its columns.
 *
 * Pure (unit-tested with catalog rows).
 */
import { SeedpipeError, type ColumnInfo, type TableInfo } from '../../../src/stage-kit.js';
import type { CatalogColumn, CatalogSnapshot } from './schema-check.js';
import { rowCost, type FormatCost } from './copy-cost.js';

export type CopyFormat = 'auto' | 'text' | 'binary';
export const COPY_FORMATS: readonly CopyFormat[] = ['auto', 'text', 'binary'];

const TEXTUAL = /^(text|character varying(\(\d+\))?)$/;
const TIMESTAMP = /^timestamp(\(\d\))? with(out)? time zone$/;

/** Why a dataset column cannot be sent in binary to this database column, or undefined when it can. */
export function binaryMismatch(c: ColumnInfo, db: CatalogColumn | undefined): string | undefined {
  if (!db) return 'missing in the database';
  const have = db.type;
  let ok: boolean;
  if (c.enumValues) ok = db.typtype === 'e';
  else if (c.type === 'bigint') ok = have === 'bigint';
  else if (c.type === 'int') ok = have === 'integer';
  else if (c.type === 'smallint') ok = have === 'smallint';
  else if (c.type === 'double precision') ok = have === 'double precision';
  else if (c.type.startsWith('numeric(')) ok = /^numeric(\(\d+,\d+\))?$/.test(have);
  else if (c.type === 'text' || c.type.startsWith('varchar(')) ok = TEXTUAL.test(have);
  else if (c.type === 'boolean') ok = have === 'boolean';
  else if (c.type === 'uuid') ok = have === 'uuid';
  else if (c.type === 'date') ok = have === 'date';
  // A timestamp without time zone takes the same microseconds (its text input ignores the `Z`); a
  // precision below 6 rounds them on receipt as it rounds text.
  else if (c.type === 'timestamptz') ok = TIMESTAMP.test(have);
  else if (c.type === 'jsonb') ok = have === 'jsonb';
  else ok = false;
  return ok ? undefined : `${have} in the database, ${c.enumValues ? 'an enum' : c.type} in the dataset`;
}

export interface FormatChoice {
  /** Tables loaded with binary COPY (dataset names). */
  binary: Set<string>;
  /** Tables loaded as CSV although binary was asked for or allowed, with why (for the log). */
  text: Map<string, string>;
}

/**
 * The COPY format of every table; `binary` throws when some table cannot have it. `cost` estimates a
 * row's cost in each format (the measured table of copy-cost.ts unless given).
 */
export function chooseCopyFormats(tables: readonly TableInfo[], catalog: CatalogSnapshot, format: CopyFormat, cost: (t: TableInfo) => FormatCost = rowCost): FormatChoice {
  const choice: FormatChoice = { binary: new Set(), text: new Map() };
  if (format === 'text') return choice;
  const byTable = new Map<string, Map<string, CatalogColumn>>();
  for (const c of catalog.columns) {
    let m = byTable.get(c.table);
    if (!m) byTable.set(c.table, (m = new Map()));
    m.set(c.column, c);
  }
  const unsuited = new Map<string, string>();
  for (const t of tables) {
    const cols = byTable.get(t.name);
    const why = t.columns.map((c) => [c, binaryMismatch(c, cols?.get(c.sqlName ?? c.name))] as const).filter(([, w]) => w !== undefined);
    if (why.length > 0) {
      const columns = why.map(([c, w]) => `column ${c.name}: ${w}`).join('; ');
      unsuited.set(t.name, columns);
      choice.text.set(t.name, `binary COPY needs the dataset's column types; ${columns}`);
      continue;
    }
    const c = cost(t);
    if (format === 'auto' && c.text < c.binary) {
      choice.text.set(t.name, `estimated cheaper than binary for its column types: ${Math.round(c.text)} against ${Math.round(c.binary)} ns per row`);
    } else choice.binary.add(t.name);
  }
  if (format === 'binary' && unsuited.size) {
    const list = [...unsuited].map(([t, w]) => `  - table ${t}: ${w}`).join('\n');
    throw new SeedpipeError('COPY_BINARY_UNSUITED',
      `--copy-format binary: binary COPY does not convert types, and ${unsuited.size} table(s) have columns of other types than the dataset's:\n${list}\n` +
      'Use --copy-format auto to load those tables as CSV (and the others in binary), or change the column types.',
      { disposition: 'usage', data: { tables: [...unsuited.keys()] } });
  }
  return choice;
}
