/**
 * The constraint half of the catalog reader: foreign keys, checks, exclusions, unique indexes and
 * triggers of the introspected tables, plus what lives only on their leaf partitions (foreign keys,
 * uniques and checks declared on a partition, and the partition bounds a row must fall into), the
 * sequences column defaults draw from, and the SQL functions checks may call.
 *
 * Each kind is one query for every table at once (leaf partitions included), so the cost does not
 * grow with the number of tables.
 */
import type {
  CatalogCheck, CatalogClient, CatalogForeignKey, CatalogFunction, CatalogPartitioning, CatalogUnique,
} from './catalog-types.js';

type QueryRow = Record<string, unknown>;

export const num = (v: unknown): number => Number(v);
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const nums = (v: unknown): number[] =>
  Array.isArray(v) ? v.map(Number) : typeof v === 'string' ? v.replace(/[{}]/g, '').split(/[ ,]/).filter(Boolean).map(Number) : [];

/** Everything keyed by the oid of an introspected (top-level) table. */
export interface TableConstraints {
  primaryKey: CatalogUnique | null;
  uniques: CatalogUnique[];
  foreignKeys: CatalogForeignKey[];
  checks: CatalogCheck[];
  exclusions: { name: string; definition: string }[];
  insertTriggers: string[];
  partitioning?: CatalogPartitioning;
}

interface Leaf {
  oid: number;
  top: number;
  name: string;
  /** `pg_get_partition_constraintdef`: the partition's full constraint, ancestors included. */
  constraint: string | null;
  /** Own bound is DEFAULT or hash (its rows cover what its parent's other children leave). */
  catchAll: boolean;
  parentConstraint: string | null;
  parentIsTop: boolean;
}

/** Reads the constraints of `oids` (tables) and of their leaf partitions. */
export async function readConstraints(client: CatalogClient, oids: readonly number[], attName: Map<string, string>): Promise<Map<number, TableConstraints>> {
  const out = new Map<number, TableConstraints>();
  for (const oid of oids) out.set(oid, { primaryKey: null, uniques: [], foreignKeys: [], checks: [], exclusions: [], insertTriggers: [] });

  const leaves = await readLeaves(client, oids);
  const leafOids = leaves.map((l) => l.oid);
  const leafOf = new Map(leaves.map((l) => [l.oid, l]));
  // Partitions may number their columns differently from their parent (dropped columns, ATTACH).
  const extraRels = [...leafOids];
  const cons = (
    await client.query(
      `SELECT con.conrelid AS rel, con.conname AS name, con.contype::text AS type, con.conkey AS key, con.confrelid AS frel, con.confkey AS fkey,
              pg_get_constraintdef(con.oid) AS def, con.convalidated AS validated, con.condeferrable AS deferrable,
              con.conparentid AS parent, con.coninhcount AS inherited, fn.nspname AS fschema, fc.relname AS ftable
         FROM pg_constraint con
         LEFT JOIN pg_class fc ON fc.oid = con.confrelid
         LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('f', 'c', 'x')
        ORDER BY con.conrelid, con.conname`,
      [[...oids, ...leafOids]],
    )
  ).rows;
  // Referenced tables may live outside the schemas asked for: name their columns too.
  for (const c of cons) if (str(c.type) === 'f' && !oids.includes(num(c.frel))) extraRels.push(num(c.frel));
  if (extraRels.length) {
    for (const r of (await client.query(`SELECT attrelid AS rel, attnum AS num, attname AS name FROM pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0`, [[...new Set(extraRels)]])).rows) {
      attName.set(`${num(r.rel)}:${num(r.num)}`, str(r.name));
    }
  }
  const names = (rel: number, key: unknown): string[] => nums(key).map((n) => attName.get(`${rel}:${n}`) ?? `#${n}`);

  for (const c of cons) {
    const rel = num(c.rel);
    const leaf = leafOf.get(rel);
    const target = out.get(leaf ? leaf.top : rel)!;
    const type = str(c.type);
    if (leaf) {
      // Only what the partition declares itself: inherited constraints are the parent's.
      if (type === 'f' && num(c.parent) !== 0) continue;
      if (type === 'c' && num(c.inherited) > 0) continue;
    }
    if (type === 'f') {
      const fk: CatalogForeignKey = {
        name: str(c.name), columns: names(rel, c.key), refSchema: str(c.fschema), refTable: str(c.ftable), refColumns: names(num(c.frel), c.fkey),
        deferrable: c.deferrable === true, validated: c.validated !== false,
      };
      if (!leaf) target.foreignKeys.push(fk);
      else mergePartitionFk(target.foreignKeys, fk, leaf.name);
    } else if (type === 'c') {
      const check: CatalogCheck = { name: str(c.name), definition: str(c.def), columns: names(rel, c.key) };
      // A partition's own check binds only the rows routed there.
      target.checks.push(leaf ? { ...check, partition: { name: leaf.name, bound: leaf.constraint ?? 'true' } } : check);
    } else target.exclusions.push({ name: str(c.name), definition: str(c.def) });
  }

  const idx = (
    await client.query(
      `SELECT i.indrelid AS rel, ic.relname AS index, i.indkey::int2[] AS key, i.indisprimary AS primary, i.indnkeyatts AS nkeys,
              pg_get_expr(i.indpred, i.indrelid) AS pred, pg_get_expr(i.indexprs, i.indrelid) AS exprs,
              coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nnd,
              pg_get_indexdef(i.indexrelid) AS def, con.conname AS constraint,
              EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) AS attached
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')
        WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique AND i.indisvalid
        ORDER BY i.indrelid, i.indisprimary DESC, ic.relname`,
      [[...oids, ...leafOids]],
    )
  ).rows;
  for (const ix of idx) {
    const rel = num(ix.rel);
    const leaf = leafOf.get(rel);
    if (leaf && ix.attached === true) continue; // a partition's copy of the parent's index
    const target = out.get(leaf ? leaf.top : rel)!;
    const key = nums(ix.key).slice(0, num(ix.nkeys) || undefined);
    const u: CatalogUnique = {
      name: str(ix.constraint) || str(ix.index),
      kind: ix.primary === true ? 'primary key' : ix.constraint ? 'unique constraint' : 'unique index',
      columns: key.filter((n) => n > 0).map((n) => attName.get(`${rel}:${n}`) ?? `#${n}`),
      expressions: ix.exprs ? splitTopLevel(str(ix.exprs)) : [],
      predicate: ix.pred === null ? null : str(ix.pred),
      nullsNotDistinct: ix.nnd === true,
      definition: str(ix.def),
      ...(leaf ? { fromPartitions: [leaf.name] } : {}),
    };
    if (ix.primary === true && !leaf) target.primaryKey = u;
    else if (leaf) {
      const same = target.uniques.find((x) => x.fromPartitions && sameList(x.columns, u.columns) && sameList(x.expressions, u.expressions) && x.predicate === u.predicate);
      if (same) (same.fromPartitions as string[]).push(leaf.name);
      else target.uniques.push(u);
    } else target.uniques.push(u);
  }

  const trig = (
    await client.query(`SELECT tgrelid AS rel, tgname AS name FROM pg_trigger WHERE tgrelid = ANY($1::oid[]) AND NOT tgisinternal AND (tgtype & 4) <> 0 ORDER BY tgrelid, tgname`, [[...oids, ...leafOids]])
  ).rows;
  for (const t of trig) {
    const rel = num(t.rel);
    const target = out.get(leafOf.get(rel)?.top ?? rel)!;
    if (!target.insertTriggers.includes(str(t.name))) target.insertTriggers.push(str(t.name));
  }

  for (const [top, group] of groupBy(leaves, (l) => l.top)) {
    const key = (await client.query(`SELECT pg_get_partkeydef($1::oid) AS k`, [top])).rows[0]?.k;
    out.get(top)!.partitioning = { key: str(key), leaves: group.map((l) => l.name), routable: routable(group) };
  }
  return out;
}

/**
 * The condition for a row to have a partition: the OR of the leaves' constraints, where a DEFAULT
 * or hash leaf stands for its parent's whole range (with its siblings it covers it). Null: any row.
 */
function routable(leaves: readonly Leaf[]): string | null {
  const parts: string[] = [];
  for (const l of leaves) {
    if (l.catchAll) {
      if (l.parentIsTop || l.parentConstraint === null) return null;
      parts.push(l.parentConstraint);
    } else if (l.constraint === null) return null;
    else parts.push(l.constraint);
  }
  const distinct = [...new Set(parts)];
  return distinct.length ? distinct.map((p) => `(${p})`).join(' OR ') : null;
}

async function readLeaves(client: CatalogClient, oids: readonly number[]): Promise<Leaf[]> {
  if (!oids.length) return [];
  const rows: QueryRow[] = (
    await client.query(
      `SELECT p.relid::oid AS leaf, t.oid AS top, p.parentrelid::oid AS parent, n.nspname AS schema, c.relname AS name,
              pg_get_expr(c.relpartbound, c.oid) AS bound, pg_get_partition_constraintdef(p.relid) AS cons,
              pg_get_partition_constraintdef(p.parentrelid) AS pcons, (p.parentrelid = t.oid) AS parent_is_top
         FROM pg_class t
         CROSS JOIN LATERAL pg_partition_tree(t.oid) p
         JOIN pg_class c ON c.oid = p.relid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE t.oid = ANY($1::oid[]) AND t.relkind = 'p' AND p.isleaf AND p.level > 0
        ORDER BY t.oid, c.relname`,
      [oids],
    )
  ).rows;
  return rows.map((r) => {
    const bound = str(r.bound);
    return {
      oid: num(r.leaf), top: num(r.top), name: `${str(r.schema)}.${str(r.name)}`,
      constraint: r.cons === null ? null : str(r.cons),
      catchAll: bound === 'DEFAULT' || /\bWITH\s*\(\s*modulus/i.test(bound),
      parentConstraint: r.pcons === null ? null : str(r.pcons),
      parentIsTop: r.parent_is_top === true,
    };
  });
}

function mergePartitionFk(list: CatalogForeignKey[], fk: CatalogForeignKey, leaf: string): void {
  const same = list.find((x) => sameList(x.columns, fk.columns) && x.refSchema === fk.refSchema && x.refTable === fk.refTable && sameList(x.refColumns, fk.refColumns));
  if (!same) list.push({ ...fk, fromPartitions: [leaf] });
  else if (same.fromPartitions) (same.fromPartitions as string[]).push(leaf);
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) (m.get(key(it)) ?? m.set(key(it), []).get(key(it))!).push(it);
  return m;
}

/**
 * Sequences column defaults draw from: a `nextval('…')` in the default (found through the
 * default's dependency on the sequence, so any spelling and schema works), and identity columns'
 * sequences. `owned`: the sequence is OWNED BY that column (serial, identity).
 */
export async function readSequences(client: CatalogClient, oids: readonly number[]): Promise<Map<string, { schema: string; name: string; owned: boolean }>> {
  const out = new Map<string, { schema: string; name: string; owned: boolean }>();
  if (!oids.length) return out;
  const rows = (
    await client.query(
      `SELECT d.adrelid AS rel, d.adnum AS num, sn.nspname AS schema, s.relname AS name,
              EXISTS (SELECT 1 FROM pg_depend o WHERE o.classid = 'pg_class'::regclass AND o.objid = s.oid AND o.refobjid = d.adrelid
                        AND o.refobjsubid = d.adnum AND o.deptype IN ('a', 'i')) AS owned
         FROM pg_attrdef d
         JOIN pg_depend dep ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid AND dep.refclassid = 'pg_class'::regclass
         JOIN pg_class s ON s.oid = dep.refobjid AND s.relkind = 'S'
         JOIN pg_namespace sn ON sn.oid = s.relnamespace
        WHERE d.adrelid = ANY($1::oid[])
       UNION ALL
       SELECT o.refobjid, o.refobjsubid, sn.nspname, s.relname, true
         FROM pg_depend o
         JOIN pg_class s ON s.oid = o.objid AND s.relkind = 'S'
         JOIN pg_namespace sn ON sn.oid = s.relnamespace
        WHERE o.classid = 'pg_class'::regclass AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'i' AND o.refobjid = ANY($1::oid[])`,
      [oids],
    )
  ).rows;
  for (const r of rows) out.set(`${num(r.rel)}:${num(r.num)}`, { schema: str(r.schema), name: str(r.name), owned: r.owned === true });
  return out;
}

/**
 * SQL-language functions whose body is one expression (`SELECT btrim($1) <> $1`, or a SQL-standard
 * `RETURN …` body), outside the system schemas: the check solver inlines them.
 */
export async function readFunctions(client: CatalogClient, serverVersion: number): Promise<CatalogFunction[]> {
  const sqlBody = serverVersion >= 140000 ? 'pg_get_function_sqlbody(p.oid)' : 'NULL';
  const rows = (
    await client.query(
      `SELECT n.nspname AS schema, p.proname AS name, p.pronargs AS args, p.prosrc AS src, ${sqlBody} AS body
         FROM pg_proc p
         JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'sql'
         JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prokind = 'f' AND p.pronargs BETWEEN 1 AND 8
          AND NOT p.proretset
        ORDER BY n.nspname, p.proname`,
    )
  ).rows;
  const out: CatalogFunction[] = [];
  for (const r of rows) {
    const body = singleExpression(str(r.body) || str(r.src));
    if (body !== null) out.push({ schema: str(r.schema), name: str(r.name), args: num(r.args), body });
  }
  return out;
}

/** The expression of `SELECT expr;` / `RETURN expr` / `BEGIN ATOMIC SELECT expr; END`, or null. */
export function singleExpression(src: string): string | null {
  let s = src.trim();
  if (/^BEGIN\s+ATOMIC\s/i.test(s)) s = s.replace(/^BEGIN\s+ATOMIC\s+/i, '').replace(/;?\s*END\s*;?$/i, '');
  s = s.replace(/;\s*$/, '').trim();
  const m = /^(?:SELECT|RETURN)\s+([\s\S]+)$/i.exec(s);
  if (!m) return null;
  s = m[1]!.trim();
  // A query (FROM, WHERE, …) is not an expression of the arguments.
  const bare = s.replace(/'(?:[^']|'')*'/g, "''");
  if (/\b(FROM|WHERE|GROUP\s+BY|UNION|LIMIT|SELECT)\b/i.test(bare) || bare.includes(';')) return null;
  return s;
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
