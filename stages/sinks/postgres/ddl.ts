/**
 * Renders a dataset's tables as Postgres DDL: enum types, tables with NOT NULL, primary key, unique
 * and check constraints, then foreign keys and secondary indexes (after every table exists, so
 * cycles and any table order work). Pure and stable: the same tables give the same text, so it can
 * be snapshot-tested and diffed.
 *
 * Names follow Postgres's own defaults (`<table>_pkey`, `<table>_<cols>_key`, `<table>_<cols>_fkey`,
 * `<table>_<cols>_idx`, `<table>_<cols>_check`), made explicit so error messages and the load's
 * drop-and-re-create of constraints see the same names on every server version.
 */
import { qualified, quoteIdent, quoteLiteral, type ColumnInfo, type ForeignKeySpec, type TableInfo } from '../../../src/stage-kit.js';

/** Postgres truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
const MAX_IDENT = 63;

// One quoting and qualification rule for every Postgres stage (the source reads with the same names).
export { quoteIdent, quoteLiteral, qualified } from '../../../src/stage-kit.js';

/** The enum type created for an enum column. */
export function enumTypeName(table: string, column: string): string {
  return `${table}_${column}`;
}

export interface DdlOptions {
  /**
   * Qualify every table and type that does not name its own schema (`TableInfo.schema`) with this
   * one. Default: those stay unqualified (the search_path decides).
   */
  schema?: string;
}

/** Where a table of the DDL lives: its own schema, else the option's. */
function tableSchema(t: Pick<TableInfo, 'schema'> | undefined, opts: DdlOptions): string | undefined {
  return t?.schema ?? opts.schema;
}

/** `[schema.]table` of `t` in the database. */
function rel(t: Pick<TableInfo, 'name' | 'schema' | 'sqlName'>, opts: DdlOptions): string {
  return qualified(t.sqlName ?? t.name, tableSchema(t, opts));
}

/** Quoted database names of dataset columns of `t`. */
function sqlColumns(t: Pick<TableInfo, 'columns'> | undefined, cols: readonly string[]): string {
  return cols.map((c) => quoteIdent(t?.columns.find((x) => x.name === c)?.sqlName ?? c)).join(', ');
}

/** A foreign key or index the DDL declares, with the name it gets. */
export interface NamedForeignKey extends ForeignKeySpec {
  name: string;
  from: string;
}

export interface NamedIndex {
  name: string;
  table: string;
  columns: readonly string[];
}

export interface NamedCheck {
  name: string;
  table: string;
  expression: string;
  columns: string[];
}

/** Every object name the DDL uses, in the DDL's order. */
export interface DdlNames {
  primaryKeys: Map<string, string>;
  uniques: { name: string; table: string; columns: readonly string[] }[];
  checks: NamedCheck[];
  foreignKeys: NamedForeignKey[];
  indexes: NamedIndex[];
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cuts `s` to at most `max` bytes without splitting a character. */
function truncateBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/** Postgres-style object names: `<base>_<suffix>`, cut to 63 bytes, numbered when taken. */
class Namer {
  private readonly used = new Set<string>();

  name(parts: readonly string[], suffix: string, scope = ''): string {
    const base = parts.join('_');
    for (let n = 0; ; n++) {
      const tail = `_${suffix}${n === 0 ? '' : n}`;
      const candidate = truncateBytes(base, MAX_IDENT - byteLength(tail)) + tail;
      const key = `${scope}\u0000${candidate}`;
      if (!this.used.has(key)) {
        this.used.add(key);
        return candidate;
      }
    }
  }
}

/** Column names an SQL expression mentions, in order of first mention (for naming checks). */
export function columnsOf(expression: string, columns: readonly ColumnInfo[]): string[] {
  const known = new Set(columns.map((c) => c.name));
  const seen: string[] = [];
  // Skip string literals, then collect bare and quoted identifiers.
  const text = expression.replace(/'(?:[^']|'')*'/g, ' ');
  for (const m of text.matchAll(/"((?:[^"]|"")+)"|\b([A-Za-z_][A-Za-z0-9_$]*)\b/g)) {
    const id = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase();
    if (known.has(id) && !seen.includes(id)) seen.push(id);
  }
  return seen;
}

/** Names every constraint and index of `tables` exactly as `renderDdl` does. */
export function ddlNames(tables: readonly TableInfo[]): DdlNames {
  // Index-backed names (pkey, key, idx) share the schema's relation namespace; checks and foreign
  // keys are per table.
  const relations = new Namer();
  const perTable = new Namer();
  const names: DdlNames = { primaryKeys: new Map(), uniques: [], checks: [], foreignKeys: [], indexes: [] };
  for (const t of tables) {
    if (t.primaryKey.length) names.primaryKeys.set(t.name, relations.name([t.name], 'pkey'));
    for (const u of t.uniques) names.uniques.push({ name: relations.name([t.name, ...u], 'key'), table: t.name, columns: u });
    for (const expression of t.checks) {
      const columns = columnsOf(expression, t.columns);
      names.checks.push({ name: perTable.name([t.name, ...columns], 'check', t.name), table: t.name, expression, columns });
    }
  }
  for (const t of tables) {
    for (const fk of t.foreignKeys) names.foreignKeys.push({ ...fk, from: t.name, name: perTable.name([t.name, ...fk.columns], 'fkey', t.name) });
  }
  for (const t of tables) {
    for (const ix of t.indexes) names.indexes.push({ name: relations.name([t.name, ...ix], 'idx'), table: t.name, columns: ix });
  }
  return names;
}

function columnList(cols: readonly string[]): string {
  return cols.map(quoteIdent).join(', ');
}

function columnType(t: TableInfo, c: ColumnInfo, opts: DdlOptions): string {
  return c.enumValues ? qualified(enumTypeName(t.name, c.name), tableSchema(t, opts)) : c.type;
}

/** The `CREATE TYPE` statements of the tables' enum columns. */
export function renderEnumTypes(tables: readonly TableInfo[], opts: DdlOptions = {}): string[] {
  const out: string[] = [];
  for (const t of tables) {
    for (const c of t.columns) {
      if (!c.enumValues) continue;
      out.push(`CREATE TYPE ${qualified(enumTypeName(t.name, c.name), tableSchema(t, opts))} AS ENUM (${c.enumValues.map(quoteLiteral).join(', ')});`);
    }
  }
  return out;
}

/** One `CREATE TABLE` per table (columns, NOT NULL, primary key, uniques, checks). */
export function renderCreateTables(tables: readonly TableInfo[], opts: DdlOptions = {}): string[] {
  const names = ddlNames(tables);
  return tables.map((t) => {
    const identity = identityColumn(t);
    const lines = t.columns.map((c) => `  ${quoteIdent(c.sqlName ?? c.name)} ${columnType(t, c, opts)}${c.nullable ? '' : ' NOT NULL'}${c.name === identity ? ' GENERATED BY DEFAULT AS IDENTITY' : ''}`);
    const pk = names.primaryKeys.get(t.name);
    if (pk) lines.push(`  CONSTRAINT ${quoteIdent(pk)} PRIMARY KEY (${sqlColumns(t, t.primaryKey)})`);
    for (const u of names.uniques) if (u.table === t.name) lines.push(`  CONSTRAINT ${quoteIdent(u.name)} UNIQUE (${sqlColumns(t, u.columns)})`);
    for (const c of names.checks) if (c.table === t.name) lines.push(`  CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expression})`);
    return `CREATE TABLE ${rel(t, opts)} (\n${lines.join(',\n')}\n);`;
  });
}

/**
 * The column that gets an identity default in created tables: a single-column integer primary key
 * that is not also a foreign key. The load writes its values (BY DEFAULT accepts them) and moves the
 * identity's sequence past them, so the application can insert rows without an id afterwards.
 */
export function identityColumn(t: TableInfo): string | undefined {
  if (t.primaryKey.length !== 1) return undefined;
  const col = t.columns.find((c) => c.name === t.primaryKey[0]);
  if (!col || !['bigint', 'int', 'smallint'].includes(col.type) || col.sequence) return undefined;
  if (t.foreignKeys.some((f) => f.columns.includes(col.name))) return undefined;
  return col.name;
}

/** The body of a foreign key constraint, as `pg_get_constraintdef` prints it. */
export function foreignKeyDef(fk: ForeignKeySpec, schema?: string): string {
  return `FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${qualified(fk.table, schema)}(${columnList(fk.refColumns)})`;
}

/** `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` for every foreign key. */
export function renderForeignKeys(tables: readonly TableInfo[], opts: DdlOptions = {}): string[] {
  const by = new Map(tables.map((t) => [t.name, t]));
  return ddlNames(tables).foreignKeys.map((fk) => {
    const from = by.get(fk.from)!;
    const to = by.get(fk.table);
    // A referenced table outside `tables` (with --only) is named as itself, in the default schema.
    const target = to ? rel(to, opts) : qualified(fk.table, opts.schema);
    return `ALTER TABLE ${rel(from, opts)} ADD CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${sqlColumns(from, fk.columns)}) REFERENCES ${target}(${sqlColumns(to, fk.refColumns)});`;
  });
}

/** `CREATE INDEX` for every secondary index. */
export function renderIndexes(tables: readonly TableInfo[], opts: DdlOptions = {}): string[] {
  const by = new Map(tables.map((t) => [t.name, t]));
  return ddlNames(tables).indexes.map((ix) => `CREATE INDEX ${quoteIdent(ix.name)} ON ${rel(by.get(ix.table)!, opts)} (${sqlColumns(by.get(ix.table), ix.columns)});`);
}

/**
 * The whole schema of `tables`: enum types, tables, foreign keys, indexes; one statement per line
 * group, separated by blank lines. Foreign keys may point at tables outside `tables` (with
 * `--only`): those must exist already.
 */
export function renderDdl(tables: readonly TableInfo[], opts: DdlOptions = {}): string {
  const sections = [
    renderEnumTypes(tables, opts),
    renderCreateTables(tables, opts),
    renderForeignKeys(tables, opts),
    renderIndexes(tables, opts),
  ].filter((s) => s.length > 0);
  return sections.map((s) => s.join('\n\n')).join('\n\n') + '\n';
}
