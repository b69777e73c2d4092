/**
 * SQL checks of a loaded real schema, independent of the generator: every constraint valid, no
 * orphan for any foreign key (partitions included), tables filled, ordered pairs by name,
 * tenant-consistent references, coordinates in range. Each returns what it found wrong (empty =
 * fine), so a failing test prints the offending table and columns.
 */
import pg from 'pg';

const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

async function rows<T = Record<string, unknown>>(c: pg.Client, sql: string, values: unknown[] = []): Promise<T[]> {
  return (await c.query(sql, values)).rows as T[];
}

export async function withDb<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Constraints (checks, keys, foreign keys) that are not valid. */
export async function invalidConstraints(c: pg.Client, schemas: readonly string[]): Promise<string[]> {
  return (await rows<{ n: string }>(c, `SELECT conrelid::regclass || '.' || conname AS n FROM pg_constraint con JOIN pg_namespace ns ON ns.oid = con.connamespace WHERE ns.nspname = ANY($1) AND NOT con.convalidated`, [schemas])).map((r) => r.n);
}

interface Fk { rel: string; frel: string; cols: string[]; fcols: string[]; name: string }

/** Foreign keys of the schemas (declared on tables and on partitions, not the copies partitions inherit). */
async function foreignKeys(c: pg.Client, schemas: readonly string[]): Promise<Fk[]> {
  return rows<Fk>(c, `
    SELECT con.conrelid::regclass::text AS rel, con.confrelid::regclass::text AS frel, con.conname AS name,
           array(SELECT attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY o)::text[] AS cols,
           array(SELECT attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY o)::text[] AS fcols
      FROM pg_constraint con JOIN pg_namespace ns ON ns.oid = con.connamespace
     WHERE con.contype = 'f' AND ns.nspname = ANY($1) AND con.conparentid = 0`, [schemas]);
}

/** For every foreign key (on tables and partitions): rows whose key matches no parent row. */
export async function orphans(c: pg.Client, schemas: readonly string[]): Promise<string[]> {
  const fks = await foreignKeys(c, schemas);
  const out: string[] = [];
  for (const fk of fks) {
    const cond = fk.cols.map((x, i) => `p.${ident(fk.fcols[i]!)} = t.${ident(x)}`).join(' AND ');
    const notNull = fk.cols.map((x) => `t.${ident(x)} IS NOT NULL`).join(' AND ');
    const n = Number((await rows<{ n: string }>(c, `SELECT count(*) AS n FROM ${fk.rel} t WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${fk.frel} p WHERE ${cond})`))[0]!.n);
    if (n) out.push(`${fk.name}: ${n} orphan(s) in ${fk.rel}`);
  }
  return out;
}

/** Ordinary tables (not partitions, not `except`) with no rows. */
export async function emptyTables(c: pg.Client, schemas: readonly string[], except: readonly string[]): Promise<string[]> {
  const tables = await rows<{ t: string; name: string }>(c, `SELECT c.oid::regclass::text AS t, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`, [schemas]);
  const out: string[] = [];
  for (const t of tables) {
    if (except.includes(t.name)) continue;
    const n = Number((await rows<{ n: string }>(c, `SELECT count(*) AS n FROM ${t.t}`))[0]!.n);
    if (!n) out.push(t.t);
  }
  return out;
}

export async function countOf(c: pg.Client, table: string): Promise<number> {
  return Number((await rows<{ n: string }>(c, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
}

interface Col { t: string; name: string; type: string }

async function columns(c: pg.Client, schemas: readonly string[]): Promise<Col[]> {
  return rows<Col>(c, `
    SELECT a.attrelid::regclass::text AS t, a.attname AS name, format_type(a.atttypid, NULL) AS type
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped`, [schemas]);
}

/** Pairs a reader expects ordered, by name: [earlier, later] with the rest of the name equal. */
const PAIRS: readonly [RegExp, string][] = [
  [/^created(_at|_on|At)?$/, 'updated'], [/^(start|starts|started|begin|begins)(_\w+)?$/, 'end'], [/^valid_from$/, 'valid_to'],
  [/^(min|minimum)_(\w+)$/, 'max'], [/^rental_date$/, 'return_date'], [/^issued(_at|_on)?$|^issuing_date$/, 'due'], [/^(\w+_)?from$/, 'to'],
];
const LATER: Record<string, (a: string) => string[]> = {
  updated: (a) => [a.replace(/^created/, 'updated')],
  end: (a) => [a.replace(/^(start|begin)s?(ed)?/, 'end'), a.replace(/^(start|begin)s?(ed)?/, 'ends'), a.replace(/^(start|begin)s?(ed)?/, 'ended')],
  valid_to: () => ['valid_to', 'valid_until'],
  max: (a) => [a.replace(/^min(imum)?/, (m) => (m === 'min' ? 'max' : 'maximum'))],
  return_date: () => ['return_date'],
  due: (a) => [a.replace(/^issued|^issuing/, 'due').replace(/_date$/, '_date'), 'due_date', 'due_at', 'due_on', 'payment_due_date'],
  to: (a) => [a.replace(/from$/, 'to')],
};

/** Rows where an ordered pair (created/updated, start/end, min/max, …) is out of order. */
export async function unorderedPairs(c: pg.Client, schemas: readonly string[]): Promise<string[]> {
  const cols = await columns(c, schemas);
  const comparable = (t: string): boolean => /timestamp|date|integer|bigint|smallint|numeric|double|real/.test(t);
  const out: string[] = [];
  const byTable = new Map<string, Col[]>();
  for (const col of cols) (byTable.get(col.t) ?? byTable.set(col.t, []).get(col.t)!).push(col);
  for (const [t, list] of byTable) {
    for (const a of list) {
      if (!comparable(a.type)) continue;
      for (const [re, kind] of PAIRS) {
        if (!re.test(a.name)) continue;
        for (const bName of LATER[kind]!(a.name)) {
          const temporal = /timestamp|date/.test(a.type);
          // Only min/max pairs are numeric; the others are points in time (begin_area/end_area are places).
          if (!temporal && kind !== 'max') continue;
          const b = list.find((x) => x.name === bName && x !== a && comparable(x.type) && /timestamp|date/.test(x.type) === temporal);
          if (!b) continue;
          const n = Number((await rows<{ n: string }>(c, `SELECT count(*) AS n FROM ${t} WHERE ${ident(b.name)} < ${ident(a.name)}`))[0]!.n);
          if (n) out.push(`${t}: ${n} row(s) with ${b.name} < ${a.name}`);
        }
      }
    }
  }
  return out;
}

const TENANT = /^(organization|organisation|org|account|tenant|workspace|company|team)_?id$/i;

/**
 * The tenant table (the one most tables reference through a tenant column), and the references
 * between two tables that both carry that column whose rows disagree on it.
 */
export async function tenantMismatches(c: pg.Client, schemas: readonly string[]): Promise<{ tenant: string | null; checked: number; problems: string[] }> {
  const fks = await foreignKeys(c, schemas);
  const votes = new Map<string, Set<string>>();
  for (const f of fks) if (f.cols.length === 1 && TENANT.test(f.cols[0]!)) (votes.get(f.frel) ?? votes.set(f.frel, new Set()).get(f.frel)!).add(f.rel);
  const top = [...votes].sort((a, b) => b[1].size - a[1].size)[0];
  if (!top || top[1].size < 3) return { tenant: null, checked: 0, problems: [] };
  const tenant = top[0];
  const tenantCol = new Map<string, string>();
  for (const f of fks) if (f.frel === tenant && f.cols.length === 1) tenantCol.set(f.rel, f.cols[0]!);
  const problems: string[] = [];
  let checked = 0;
  for (const f of fks) {
    const a = tenantCol.get(f.rel);
    const b = tenantCol.get(f.frel);
    if (!a || !b || f.frel === tenant || f.rel === f.frel) continue;
    checked++;
    const cond = f.cols.map((x, i) => `p.${ident(f.fcols[i]!)} = t.${ident(x)}`).join(' AND ');
    const n = Number((await rows<{ n: string }>(c, `SELECT count(*) AS n FROM ${f.rel} t JOIN ${f.frel} p ON ${cond} WHERE t.${ident(a)} IS DISTINCT FROM p.${ident(b)}`))[0]!.n);
    if (n) problems.push(`${f.name}: ${n} row(s) of ${f.rel} reference a ${f.frel} row of another ${tenant} row`);
  }
  return { tenant, checked, problems };
}

/** Latitude-like columns outside ±90 and longitude-like ones outside ±180. */
export async function badCoordinates(c: pg.Client, schemas: readonly string[]): Promise<string[]> {
  const cols = (await columns(c, schemas)).filter((x) => /integer|bigint|smallint|numeric|double|real/.test(x.type));
  const out: string[] = [];
  for (const col of cols) {
    const lat = /(^|_)(lat|latitude)$|^(min|max)_lat$/.test(col.name);
    const lon = /(^|_)(lon|lng|longitude)$|^(min|max)_lon$/.test(col.name);
    if (!lat && !lon) continue;
    const lim = lat ? 90 : 180;
    const n = Number((await rows<{ n: string }>(c, `SELECT count(*) AS n FROM ${col.t} WHERE abs(${ident(col.name)}) > ${lim}`))[0]!.n);
    if (n) out.push(`${col.t}.${col.name}: ${n} value(s) beyond ±${lim}`);
  }
  return out;
}

/** Every constraint of the schemas by table and name (to compare before and after a load). */
export async function constraintNames(c: pg.Client, schemas: readonly string[]): Promise<string[]> {
  return (await rows<{ n: string }>(c, `SELECT con.conrelid::regclass || '.' || con.conname || ' ' || con.contype::text AS n FROM pg_constraint con JOIN pg_namespace ns ON ns.oid = con.connamespace WHERE ns.nspname = ANY($1) AND con.conrelid <> 0 ORDER BY 1`, [schemas])).map((r) => r.n);
}

/** Indexes of the schemas with their validity (`indisvalid`, `indisready`). */
export async function indexStates(c: pg.Client, schemas: readonly string[]): Promise<{ all: string[]; invalid: string[] }> {
  const r = await rows<{ n: string; ok: boolean }>(c, `SELECT i.indexrelid::regclass::text AS n, i.indisvalid AND i.indisready AS ok FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = ANY($1) ORDER BY 1`, [schemas]);
  return { all: r.map((x) => x.n), invalid: r.filter((x) => !x.ok).map((x) => x.n) };
}

/**
 * For every column whose default draws from a sequence (serial, identity, `DEFAULT nextval('…')`,
 * owned or not), an application INSERT that leaves the column to its default: a copy of an existing
 * row without that column. It must not collide on a key holding the column (the sequence is past the
 * loaded values). A copy that collides on another unique key (an email, a slug) says nothing about the
 * sequence: then the next value must still exceed the column's maximum. All of it rolled back.
 * Returns the problems and how many columns were tried.
 */
export async function sequenceInserts(c: pg.Client, schemas: readonly string[]): Promise<{ tried: number; inserted: number; problems: string[] }> {
  const cols = await rows<{ t: string; col: string; seq: string; others: string[] }>(c, `
    SELECT a.attrelid::regclass::text AS t, a.attname AS col, s.oid::regclass::text AS seq,
           array(SELECT b.attname::text FROM pg_attribute b WHERE b.attrelid = a.attrelid AND b.attnum > 0 AND NOT b.attisdropped AND b.attnum <> a.attnum AND b.attgenerated = '' ORDER BY b.attnum) AS others
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
      JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid AND d.refclassid = 'pg_class'::regclass
      JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
     WHERE ns.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    UNION
    SELECT a.attrelid::regclass::text, a.attname, pg_get_serial_sequence(a.attrelid::regclass::text, a.attname),
           array(SELECT b.attname::text FROM pg_attribute b WHERE b.attrelid = a.attrelid AND b.attnum > 0 AND NOT b.attisdropped AND b.attnum <> a.attnum AND b.attgenerated = '' ORDER BY b.attnum)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = ANY($1) AND a.attidentity <> '' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY 1, 2`, [schemas]);
  const problems: string[] = [];
  let inserted = 0;
  await c.query('BEGIN');
  try {
    for (const x of cols) {
      await c.query('SAVEPOINT ins');
      try {
        const list = x.others.map(ident).join(', ');
        const r = await c.query(`INSERT INTO ${x.t} (${list}) OVERRIDING USER VALUE SELECT ${list} FROM ${x.t} LIMIT 1`);
        inserted += r.rowCount ?? 0;
        await c.query('RELEASE SAVEPOINT ins');
      } catch (e) {
        await c.query('ROLLBACK TO SAVEPOINT ins');
        const err = e as { code?: string; constraint?: string; message: string };
        const keyCols = err.constraint ? await rows<{ cols: string[] }>(c, `SELECT array(SELECT attname::text FROM pg_attribute WHERE attrelid = con.conrelid AND attnum = ANY(con.conkey)) AS cols FROM pg_constraint con WHERE con.conname = $1 AND con.conrelid = $2::regclass`, [err.constraint, x.t]) : [];
        if (err.code === '23505' && keyCols[0]?.cols.includes(x.col)) problems.push(`${x.t}.${x.col}: INSERT collides on ${err.constraint} (${err.message})`);
        const past = await rows<{ ok: boolean }>(c, `SELECT (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM ${x.seq}) >= coalesce((SELECT max(${ident(x.col)})::bigint FROM ${x.t}), 0) AS ok`);
        if (!past[0]!.ok) problems.push(`${x.t}.${x.col}: sequence ${x.seq} is behind the column's maximum`);
      }
    }
  } finally {
    await c.query('ROLLBACK');
  }
  return { tried: cols.length, inserted, problems };
}

export interface UniqueIndex {
  name: string;
  /** The table (a partition for a partition's own index), as Postgres prints it. */
  rel: string;
  /** SQL name of the table, or of the partitioned table a partition belongs to. */
  table: string;
  /** Key columns or expressions, as SQL. */
  keys: string[];
  pred: string | null;
  nnd: boolean;
}

/** Unique indexes of the schemas (primary keys, unique constraints, partial and expression ones, on partitions too). */
export async function uniqueIndexes(c: pg.Client, schemas: readonly string[]): Promise<UniqueIndex[]> {
  return rows<UniqueIndex>(c, `
    SELECT i.indexrelid::regclass::text AS name, i.indrelid::regclass::text AS rel,
           array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k)::text[] AS keys,
           (SELECT r.relname FROM pg_class r WHERE r.oid = coalesce(pg_partition_root(i.indrelid), i.indrelid)) AS "table",
           pg_get_expr(i.indpred, i.indrelid, true) AS pred, i.indnullsnotdistinct AS nnd
      FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace ns ON ns.oid = x.relnamespace
     WHERE i.indisunique AND ns.nspname = ANY($1) AND x.relkind IN ('i', 'I')
     ORDER BY 1`, [schemas]);
}

/**
 * For each unique index, the key values held by more than one of the rows it covers (its predicate true, no NULL key unless NULLS NOT DISTINCT), counted by a
 * query of its own: independent of whether Postgres built the index.
 */
export async function duplicateKeys(c: pg.Client, indexes: readonly UniqueIndex[]): Promise<string[]> {
  const out: string[] = [];
  for (const ix of indexes) {
    const where = [...(ix.pred ? [`(${ix.pred})`] : []), ...(ix.nnd ? [] : ix.keys.map((k) => `(${k}) IS NOT NULL`))];
    const n = Number((await rows<{ n: string }>(c, `SELECT count(*) AS n FROM (SELECT 1 FROM ${ix.rel} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY ${ix.keys.map((k) => `(${k})`).join(', ')} HAVING count(*) > 1) d`))[0]!.n);
    if (n) out.push(`${ix.name} on ${ix.rel} (${ix.keys.join(', ')})${ix.pred ? ` WHERE ${ix.pred}` : ''}: ${n} duplicated key(s)`);
  }
  return out;
}
