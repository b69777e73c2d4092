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

import type { Catalog, CatalogClient, CatalogColumn, CatalogTable, ColumnTypeInfo, DomainInfo, ReadCatalogOptions } from './catalog-types.js';
import { num, readConstraints, readFunctions, readSequences, str } from './catalog-constraints.js';

export { splitTopLevel, singleExpression } from './catalog-constraints.js';

export type * from './catalog-types.js';

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


/** varchar/char/bit length, numeric precision and scale, from a type modifier. */
export function typmodDetails(typname: string, typmod: number): { length?: number; precision?: number; scale?: number } {
  if (typmod < 0) return {};
  if (['varchar', 'bpchar', 'bit', 'varbit'].includes(typname)) return { length: typname.startsWith('bit') || typname === 'varbit' ? typmod : typmod - 4 };
  if (['timestamp', 'timestamptz', 'time', 'timetz'].includes(typname)) return { precision: typmod };
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

  const sequences = await readSequences(client, oids);
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
      sequence: sequences.get(`${rel}:${num(a.num)}`) ?? null,
    };
    (colsOf.get(rel) ?? colsOf.set(rel, []).get(rel)!).push(col);
  }

  const constraints = await readConstraints(client, oids, attName);
  const functions = await readFunctions(client, serverVersion);
  const tables: CatalogTable[] = rel.map((r) => {
    const oid = num(r.oid);
    const c = constraints.get(oid)!;
    return {
      schema: str(r.schema),
      name: str(r.name),
      kind: str(r.kind) === 'p' ? 'p' : 'r',
      comment: r.comment === null ? null : str(r.comment),
      columns: colsOf.get(oid) ?? [],
      primaryKey: c.primaryKey,
      uniques: c.uniques,
      foreignKeys: c.foreignKeys,
      checks: c.checks,
      exclusions: c.exclusions,
      insertTriggers: c.insertTriggers,
      ...(c.partitioning ? { partitioning: c.partitioning } : {}),
    };
  });
  return { schemas, serverVersion, database: str(info.db), extensions, tables, functions };
}
