/**
 * Reads what `seedpipe introspect` needs from a Postgres catalog: tables, columns in table order,
 * resolved types (domains to their base type and checks, arrays to their element type, enums
 * with their labels), keys, foreign keys, unique constraints and unique indexes (partial and
 * expression ones included), check and exclusion constraints, identity and generated columns.
 *
 * Depends only on a structural client (`{ query(text, values) }`): a `pg.Client` or `pg.Pool`
 * fits, and tests can pass a fake. Only `pg_catalog` is read (no `information_schema`, whose views
 * hide objects the user does not own and are slow on big schemas); every query is one round trip
 * for all tables, so a 500-table schema costs the same handful of queries as a 5-table one.
 */
import { SeedpipeError } from '../errors.js';

/** The smallest client the reader needs; `pg.Client` and `pg.Pool` fit. */
export interface CatalogClient {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A column's type, resolved through domains and arrays. */
export interface ColumnTypeInfo {
  /** The type as declared (`format_type`), e.g. `character varying(60)`, `email_address`, `text[]`. */
  declared: string;
  /** `format_type` of a domain's base type (one level), else `declared`; e.g. `citext` for `email_address`. */
  declaredBase: string;
  /**
   * `pg_type.typname` of the resolved scalar type: domains resolve to their base type, arrays to
   * their element type. E.g. `int4`, `varchar`, `numeric`, `timestamptz`, `citext`, or an enum's name.
   */
  base: string;
  /** Schema of the resolved scalar type (`pg_catalog` for built-ins). */
  baseSchema: string;
  /** `pg_type.typtype` of the resolved scalar type: b base, e enum, c composite, r range, m multirange, p pseudo. */
  typtype: string;
  /** `pg_type.typcategory` of the resolved scalar type (N numeric, S string, D date/time, B boolean, U user, …). */
  category: string;
  /** Array dimensions (0 for a scalar). */
  arrayDims: number;
  /** varchar(n) / char(n) / bit(n) length. */
  length?: number;
  /** numeric(p,s) precision and scale (absent for an unconstrained numeric). */
  precision?: number;
  scale?: number;
  /** Labels of an enum, in sort order. */
  enumLabels?: readonly string[];
  /** The domain(s) the column's type goes through, outermost first, with their own constraints. */
  domains: readonly DomainInfo[];
}

export interface DomainInfo {
  schema: string;
  name: string;
  notNull: boolean;
  default: string | null;
  /** `pg_get_constraintdef` of each CHECK, with `VALUE` standing for the column. */
  checks: readonly { name: string; definition: string }[];
}

export interface CatalogColumn {
  name: string;
  /** `attnum`: position in the table (1-based, gaps where columns were dropped). */
  position: number;
  type: ColumnTypeInfo;
  /** NOT NULL on the column or on one of its domains. */
  notNull: boolean;
  /** Default expression (`pg_get_expr`), or the domain's default; null when none. */
  default: string | null;
  /** Identity column: `always` (GENERATED ALWAYS) or `by default`. */
  identity: 'always' | 'by default' | null;
  /** Expression of a GENERATED ALWAYS AS (…) STORED/VIRTUAL column; such columns cannot be written. */
  generated: string | null;
  comment: string | null;
}

export interface CatalogForeignKey {
  name: string;
  columns: readonly string[];
  refSchema: string;
  refTable: string;
  refColumns: readonly string[];
  deferrable: boolean;
  /** False for a key added NOT VALID (existing rows were not checked). */
  validated: boolean;
}

export interface CatalogUnique {
  /** Constraint name, or the index name for a unique index without a constraint. */
  name: string;
  kind: 'primary key' | 'unique constraint' | 'unique index';
  /** Key columns; empty positions of expression indexes are left out (see `expressions`). */
  columns: readonly string[];
  /** Expressions of an expression index (`lower(email)`), empty otherwise. */
  expressions: readonly string[];
  /** Predicate of a partial unique index (`deleted_at IS NULL`), null otherwise. */
  predicate: string | null;
  /** NULLS NOT DISTINCT (Postgres 15+): NULLs collide like values. */
  nullsNotDistinct: boolean;
  /** `pg_get_indexdef`, for reports. */
  definition: string;
}

export interface CatalogCheck {
  name: string;
  /** `pg_get_constraintdef`, e.g. `CHECK ((rating >= 1) AND (rating <= 5))`. */
  definition: string;
  /** Columns the check mentions. */
  columns: readonly string[];
}

export interface CatalogTable {
  schema: string;
  name: string;
  /** `r` table, `p` partitioned table (partitions themselves are not listed). */
  kind: 'r' | 'p';
  comment: string | null;
  columns: readonly CatalogColumn[];
  primaryKey: CatalogUnique | null;
  /** Unique constraints and unique indexes other than the primary key. */
  uniques: readonly CatalogUnique[];
  foreignKeys: readonly CatalogForeignKey[];
  checks: readonly CatalogCheck[];
  /** Exclusion constraints (`EXCLUDE USING gist …`), by definition. */
  exclusions: readonly { name: string; definition: string }[];
  /** Names of user triggers that fire on INSERT (COPY fires them too). */
  insertTriggers: readonly string[];
}

export interface Catalog {
  /** Schemas read, in the order asked. */
  schemas: readonly string[];
  /** `server_version_num`, e.g. 180004. */
  serverVersion: number;
  /** Database name (`current_database()`). */
  database: string;
  /** Extensions installed in the database (name → version). */
  extensions: Readonly<Record<string, string>>;
  /** Tables of the schemas, ordered by schema (as asked) then name. */
  tables: readonly CatalogTable[];
}

export interface ReadCatalogOptions {
  /** Schemas to read. Default `['public']`. */
  schemas?: readonly string[];
}

interface TypeRow {
  oid: number;
  schema: string;
  name: string;
  typtype: string;
  category: string;
  basetype: number;
  typmod: number;
  elem: number;
  notnull: boolean;
  ndims: number;
  default: string | null;
}

const num = (v: unknown): number => Number(v);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : typeof v === 'string' ? v.replace(/[{}]/g, '').split(/[ ,]/).filter(Boolean).map(Number) : []);

/** varchar/char/bit length, numeric precision and scale, from a type modifier. */
export function typmodDetails(typname: string, typmod: number): { length?: number; precision?: number; scale?: number } {
  if (typmod < 0) return {};
  if (['varchar', 'bpchar', 'bit', 'varbit'].includes(typname)) return { length: typname.startsWith('bit') || typname === 'varbit' ? typmod : typmod - 4 };
  if (typname === 'numeric') {
    const m = typmod - 4;
    const precision = (m >> 16) & 0xffff;
    // Postgres 15+ allows a negative scale: an 11-bit signed field.
    let scale = m & 0x7ff;
    if (scale & 0x400) scale -= 0x800;
    return { precision, scale };
  }
  return {};
}

/**
 * Reads the catalog of `opts.schemas`. Throws `INTROSPECT_SCHEMA_UNKNOWN` naming the schemas that
 * do not exist (with the ones that do), so a typo in `--schema` is not an empty dataset.
 */
export async function readCatalog(client: CatalogClient, opts: ReadCatalogOptions = {}): Promise<Catalog> {
  const schemas = [...new Set(opts.schemas?.length ? opts.schemas : ['public'])];
  const info = (await client.query(`SELECT current_database() AS db, current_setting('server_version_num')::int AS v`)).rows[0]!;
  const serverVersion = num(info.v);
  const found = (await client.query(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])`, [schemas])).rows.map((r) => str(r.nspname));
  const missing = schemas.filter((s) => !found.includes(s));
  if (missing.length) {
    const all = (await client.query(`SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1`)).rows.map((r) => str(r.nspname));
    throw new SeedpipeError('INTROSPECT_SCHEMA_UNKNOWN', `schema${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in database ${str(info.db)}; schemas there: ${all.join(', ') || '(none)'}. Pass existing ones with --schema.`, {
      disposition: 'usage',
      data: { missing, available: all },
    });
  }
  const extensions = Object.fromEntries((await client.query(`SELECT extname, extversion FROM pg_extension ORDER BY 1`)).rows.map((r) => [str(r.extname), str(r.extversion)]));

  const rel = (
    await client.query(
      `SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, obj_description(c.oid, 'pg_class') AS comment
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY array_position($1::text[], n.nspname::text), c.relname`,
      [schemas],
    )
  ).rows;
  const oids = rel.map((r) => num(r.oid));

  const attrs = (
    await client.query(
      `SELECT a.attrelid AS rel, a.attnum AS num, a.attname AS name, a.atttypid AS typid, a.atttypmod AS typmod, a.attnotnull AS notnull,
              pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated,
              format_type(a.atttypid, a.atttypmod) AS declared, col_description(a.attrelid, a.attnum) AS comment,
              format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END) AS declared_base
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum`,
      [oids],
    )
  ).rows;

  // Types: load the closure of the columns' types through domains and array elements.
  const types = new Map<number, TypeRow>();
  let want = [...new Set(attrs.map((a) => num(a.typid)))];
  while (want.length) {
    const rows = (
      await client.query(
        `SELECT t.oid, n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype, t.typcategory::text AS category, t.typbasetype AS basetype,
                t.typtypmod AS typmod, t.typelem AS elem, t.typnotnull AS notnull, t.typndims AS ndims, pg_get_expr(t.typdefaultbin, 0) AS default
           FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ANY($1::oid[])`,
        [want],
      )
    ).rows;
    const next = new Set<number>();
    for (const r of rows) {
      const t: TypeRow = {
        oid: num(r.oid), schema: str(r.schema), name: str(r.name), typtype: str(r.typtype), category: str(r.category), basetype: num(r.basetype),
        typmod: num(r.typmod), elem: num(r.elem), notnull: r.notnull === true, ndims: num(r.ndims), default: r.default === null ? null : str(r.default),
      };
      types.set(t.oid, t);
      if (t.basetype && !types.has(t.basetype)) next.add(t.basetype);
      if (t.category === 'A' && t.elem && !types.has(t.elem)) next.add(t.elem);
    }
    want = [...next];
  }
  const domainOids = [...types.values()].filter((t) => t.typtype === 'd').map((t) => t.oid);
  const domainChecks = new Map<number, { name: string; definition: string }[]>();
  if (domainOids.length) {
    for (const r of (await client.query(`SELECT contypid AS typ, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contypid = ANY($1::oid[]) AND contype = 'c' ORDER BY conname`, [domainOids])).rows) {
      const k = num(r.typ);
      (domainChecks.get(k) ?? domainChecks.set(k, []).get(k)!).push({ name: str(r.name), definition: str(r.def) });
    }
  }
  const enumOids = [...types.values()].filter((t) => t.typtype === 'e').map((t) => t.oid);
  const enumLabels = new Map<number, string[]>();
  if (enumOids.length) {
    for (const r of (await client.query(`SELECT enumtypid AS typ, enumlabel AS label FROM pg_enum WHERE enumtypid = ANY($1::oid[]) ORDER BY enumtypid, enumsortorder`, [enumOids])).rows) {
      const k = num(r.typ);
      (enumLabels.get(k) ?? enumLabels.set(k, []).get(k)!).push(str(r.label));
    }
  }
  const resolveType = (typid: number, typmod: number, declared: string, declaredBase: string): ColumnTypeInfo => {
    const domains: DomainInfo[] = [];
    let t = types.get(typid);
    let mod = typmod;
    let dims = 0;
    for (let guard = 0; t && guard < 32; guard++) {
      if (t.typtype === 'd') {
        domains.push({ schema: t.schema, name: t.name, notNull: t.notnull, default: t.default, checks: domainChecks.get(t.oid) ?? [] });
        mod = t.typmod;
        if (t.ndims > 0) dims = Math.max(dims, t.ndims);
        t = types.get(t.basetype);
        continue;
      }
      if (t.category === 'A' && t.elem) {
        dims = Math.max(dims, 1);
        t = types.get(t.elem);
        continue;
      }
      break;
    }
    if (!t) return { declared, declaredBase, base: declared, baseSchema: '', typtype: 'b', category: 'X', arrayDims: dims, domains };
    return {
      declared,
      declaredBase,
      base: t.name,
      baseSchema: t.schema,
      typtype: t.typtype,
      category: t.category,
      arrayDims: dims,
      ...typmodDetails(t.name, mod),
      ...(t.typtype === 'e' ? { enumLabels: enumLabels.get(t.oid) ?? [] } : {}),
      domains,
    };
  };

  const attName = new Map<string, string>();
  for (const a of attrs) attName.set(`${num(a.rel)}:${num(a.num)}`, str(a.name));
  const colsOf = new Map<number, CatalogColumn[]>();
  for (const a of attrs) {
    const rel = num(a.rel);
    const type = resolveType(num(a.typid), num(a.typmod), str(a.declared), str(a.declared_base) || str(a.declared));
    const identity = str(a.identity);
    const generated = str(a.generated);
    const def = a.def === null ? null : str(a.def);
    const col: CatalogColumn = {
      name: str(a.name),
      position: num(a.num),
      type,
      notNull: a.notnull === true || type.domains.some((d) => d.notNull),
      default: generated ? null : (def ?? type.domains.find((d) => d.default !== null)?.default ?? null),
      identity: identity === 'a' ? 'always' : identity === 'd' ? 'by default' : null,
      generated: generated ? (def ?? '') : null,
      comment: a.comment === null ? null : str(a.comment),
    };
    (colsOf.get(rel) ?? colsOf.set(rel, []).get(rel)!).push(col);
  }

  // Referenced tables may live outside the schemas asked for: name them and their columns too.
  const cons = (
    await client.query(
      `SELECT con.conrelid AS rel, con.conname AS name, con.contype::text AS type, con.conkey AS key, con.confrelid AS frel, con.confkey AS fkey,
              pg_get_constraintdef(con.oid) AS def, con.convalidated AS validated, con.condeferrable AS deferrable,
              fn.nspname AS fschema, fc.relname AS ftable
         FROM pg_constraint con
         LEFT JOIN pg_class fc ON fc.oid = con.confrelid
         LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('f', 'c', 'x')
        ORDER BY con.conrelid, con.conname`,
      [oids],
    )
  ).rows;
  const foreignRels = [...new Set(cons.filter((c) => str(c.type) === 'f').map((c) => num(c.frel)).filter((o) => !oids.includes(o)))];
  if (foreignRels.length) {
    for (const r of (await client.query(`SELECT attrelid AS rel, attnum AS num, attname AS name FROM pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0`, [foreignRels])).rows) {
      attName.set(`${num(r.rel)}:${num(r.num)}`, str(r.name));
    }
  }
  const names = (rel: number, key: unknown): string[] => nums(key).map((n) => attName.get(`${rel}:${n}`) ?? `#${n}`);

  const idx = (
    await client.query(
      `SELECT i.indrelid AS rel, ic.relname AS index, i.indkey::int2[] AS key, i.indisprimary AS primary, i.indnkeyatts AS nkeys,
              pg_get_expr(i.indpred, i.indrelid) AS pred, pg_get_expr(i.indexprs, i.indrelid) AS exprs,
              coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nnd,
              pg_get_indexdef(i.indexrelid) AS def, con.conname AS constraint
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')
        WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique AND i.indisvalid
        ORDER BY i.indrelid, i.indisprimary DESC, ic.relname`,
      [oids],
    )
  ).rows;

  const trig = (
    await client.query(
      `SELECT tgrelid AS rel, tgname AS name FROM pg_trigger
        WHERE tgrelid = ANY($1::oid[]) AND NOT tgisinternal AND (tgtype & 4) <> 0 ORDER BY tgrelid, tgname`,
      [oids],
    )
  ).rows;

  const tables: CatalogTable[] = rel.map((r) => {
    const oid = num(r.oid);
    const columns = colsOf.get(oid) ?? [];
    let primaryKey: CatalogUnique | null = null;
    const uniques: CatalogUnique[] = [];
    for (const ix of idx.filter((x) => num(x.rel) === oid)) {
      const key = nums(ix.key).slice(0, num(ix.nkeys) || undefined);
      const u: CatalogUnique = {
        name: str(ix.constraint) || str(ix.index),
        kind: ix.primary === true ? 'primary key' : ix.constraint ? 'unique constraint' : 'unique index',
        columns: key.filter((n) => n > 0).map((n) => attName.get(`${oid}:${n}`) ?? `#${n}`),
        expressions: ix.exprs ? splitTopLevel(str(ix.exprs)) : [],
        predicate: ix.pred === null ? null : str(ix.pred),
        nullsNotDistinct: ix.nnd === true,
        definition: str(ix.def),
      };
      if (ix.primary === true) primaryKey = u;
      else uniques.push(u);
    }
    const mine = cons.filter((c) => num(c.rel) === oid);
    return {
      schema: str(r.schema),
      name: str(r.name),
      kind: str(r.kind) === 'p' ? 'p' : 'r',
      comment: r.comment === null ? null : str(r.comment),
      columns,
      primaryKey,
      uniques,
      foreignKeys: mine.filter((c) => str(c.type) === 'f').map((c) => ({
        name: str(c.name),
        columns: names(oid, c.key),
        refSchema: str(c.fschema),
        refTable: str(c.ftable),
        refColumns: names(num(c.frel), c.fkey),
        deferrable: c.deferrable === true,
        validated: c.validated !== false,
      })),
      checks: mine.filter((c) => str(c.type) === 'c').map((c) => ({ name: str(c.name), definition: str(c.def), columns: names(oid, c.key) })),
      exclusions: mine.filter((c) => str(c.type) === 'x').map((c) => ({ name: str(c.name), definition: str(c.def) })),
      insertTriggers: trig.filter((t) => num(t.rel) === oid).map((t) => str(t.name)),
    };
  });
  return { schemas, serverVersion, database: str(info.db), extensions, tables };
}

/** Splits `a, f(b, c), d` at top-level commas (outside parentheses and quotes). */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) {
        if (s[i + 1] === quote) i++;
        else quote = null;
      }
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last) out.push(last);
  return out;
}
