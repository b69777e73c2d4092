import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, CatalogColumn, CatalogTable, ColumnTypeInfo } from '../../../src/introspect/catalog.js';
import { chooseGenerator, kindOf, type ColumnFacts } from '../../../src/introspect/heuristics/index.js';
import { generateDataset } from '../../../src/introspect/generate.js';
import { amount, code, email, permute, pgArray, uniq, uuidAt } from '../../../src/introspect/runtime.js';
import { Rng } from '../../../src/random/rng.js';
import { streamKey } from '../../../src/random/hash.js';

// ---- fake catalog ------------------------------------------------------------------------------

const TYPES: Record<string, Partial<ColumnTypeInfo>> = {
  int: { base: 'int4', category: 'N' }, bigint: { base: 'int8', category: 'N' }, smallint: { base: 'int2', category: 'N' },
  text: { base: 'text', category: 'S' }, uuid: { base: 'uuid', category: 'U' }, bool: { base: 'bool', category: 'B' },
  timestamptz: { base: 'timestamptz', category: 'D' }, date: { base: 'date', category: 'D' }, jsonb: { base: 'jsonb', category: 'U' },
  box: { base: 'box', category: 'G' },
};
function type(t: string): ColumnTypeInfo {
  let m = /^varchar\((\d+)\)$/.exec(t);
  if (m) return { declared: `character varying(${m[1]})`, declaredBase: `character varying(${m[1]})`, base: 'varchar', baseSchema: 'pg_catalog', typtype: 'b', category: 'S', arrayDims: 0, length: Number(m[1]), domains: [] };
  m = /^numeric\((\d+),(\d+)\)$/.exec(t);
  if (m) return { declared: t, declaredBase: t, base: 'numeric', baseSchema: 'pg_catalog', typtype: 'b', category: 'N', arrayDims: 0, precision: Number(m[1]), scale: Number(m[2]), domains: [] };
  if (t.startsWith('enum:')) return { declared: 'status_t', declaredBase: 'status_t', base: 'status_t', baseSchema: 'public', typtype: 'e', category: 'E', arrayDims: 0, enumLabels: t.slice(5).split(','), domains: [] };
  if (t.endsWith('[]')) return { ...type(t.slice(0, -2)), declared: t, declaredBase: t, arrayDims: 1 };
  return { declared: t, declaredBase: t, baseSchema: 'pg_catalog', typtype: 'b', category: 'X', arrayDims: 0, domains: [], base: t, ...TYPES[t] } as ColumnTypeInfo;
}
function col(name: string, t: string, o: Partial<CatalogColumn> = {}): CatalogColumn {
  return { name, position: 0, type: type(t), notNull: false, default: null, identity: null, generated: null, comment: null, sequence: null, ...o };
}
const nn = { notNull: true };
interface TableOpts { pk?: string[]; fks?: [string[], string, string[]][]; uniques?: string[][]; checks?: string[]; foreignKeys?: CatalogTable['foreignKeys'] }
function table(name: string, columns: CatalogColumn[], o: TableOpts = {}): CatalogTable {
  const u = (cols: string[], kind: 'primary key' | 'unique constraint'): CatalogTable['uniques'][number] => ({ name: `${name}_${cols.join('_')}_key`, kind, columns: cols, expressions: [], predicate: null, nullsNotDistinct: false, definition: '' });
  return {
    schema: 'public', name, kind: 'r', comment: null, columns: columns.map((c, i) => ({ ...c, position: i + 1 })),
    primaryKey: o.pk ? u(o.pk, 'primary key') : null,
    uniques: (o.uniques ?? []).map((c) => u(c, 'unique constraint')),
    foreignKeys: o.foreignKeys ?? (o.fks ?? []).map(([columns, refTable, refColumns], i) => ({ name: `${name}_fk${i}`, columns, refSchema: 'public', refTable, refColumns, deferrable: false, validated: true })),
    checks: (o.checks ?? []).map((definition, i) => ({ name: `${name}_check${i}`, definition, columns: [] })),
    exclusions: [], insertTriggers: [],
  };
}
const catalog = (tables: CatalogTable[]): Catalog => ({ schemas: ['public'], serverVersion: 180000, database: 'shop', extensions: {}, tables, functions: [] });
const gen = (tables: CatalogTable[], rows = 100) => generateDataset(catalog(tables), { seedpipeImport: '../../src', rows });

const facts = (name: string, t: string, o: Partial<ColumnFacts> = {}): ColumnFacts => {
  const ty = type(t);
  return {
    table: 'users', name, kind: kindOf(ty.base, ty.typtype, ty.category), typname: ty.base, arrayDims: ty.arrayDims,
    ...(ty.length !== undefined ? { length: ty.length } : {}), ...(ty.precision !== undefined ? { precision: ty.precision, scale: ty.scale! } : {}),
    ...(ty.enumLabels ? { enumLabels: ty.enumLabels } : {}),
    notNull: true, unique: false, rule: {}, earlier: new Map(), tableColumns: [], salt: 7, ...o,
  };
};

/** The source line of one column in a generated table. */
function line(source: string, tableName: string, column: string): string {
  const start = source.indexOf(`    ${tableName}: {`);
  assert.ok(start >= 0, `table ${tableName} in the source`);
  const rest = source.slice(start);
  const m = new RegExp(`^\\s+${column}: \\{.*$`, 'm').exec(rest.slice(0, rest.indexOf('\n    },')));
  assert.ok(m, `column ${tableName}.${column} in the source`);
  return m[0];
}

// ---- heuristics --------------------------------------------------------------------------------

test('names choose realistic generators; the type bounds them', () => {
  assert.match(chooseGenerator(facts('email', 'varchar(60)')).code, /^email\(.*null, 60\)$/);
  assert.match(chooseGenerator(facts('first_name', 'varchar(40)')).code, /faker\.person\.firstName\(\), 40\)/);
  assert.match(chooseGenerator(facts('phone', 'varchar(24)')).code, /faker\.phone\.number/);
  assert.match(chooseGenerator(facts('city', 'text')).code, /faker\.location\.city\(\)/);
  assert.match(chooseGenerator(facts('postal_code', 'varchar(10)')).code, /zipCode/);
  assert.match(chooseGenerator(facts('country_code', 'varchar(2)')).code, /countryCode\('alpha-2'\)/);
  assert.match(chooseGenerator(facts('company_name', 'varchar(80)')).code, /faker\.company\.name/);
  assert.match(chooseGenerator(facts('website', 'text')).code, /^`https:\/\//);
  assert.match(chooseGenerator(facts('description', 'text')).code, /c\.text\.sentence/);
  assert.match(chooseGenerator(facts('body', 'varchar(2000)')).code, /^fit\(c\.text\.paragraph\(1, 4\), 2000\)$/);
  assert.match(chooseGenerator(facts('name', 'text', { table: 'customers' })).code, /fullName/);
  assert.match(chooseGenerator(facts('name', 'text', { table: 'products' })).code, /commerce\.productName/);
  assert.match(chooseGenerator(facts('is_active', 'bool')).code, /chance\(0\.85\)/);
  assert.match(chooseGenerator(facts('settings', 'jsonb')).code, /theme/);
  assert.equal(chooseGenerator(facts('password_hash', 'text')).secret, true);
});

test('numbers: money within numeric(p,s) and the checks, quantities small, check ranges win', () => {
  const price = chooseGenerator(facts('unit_price', 'numeric(10,2)', { rule: { min: 0.01 } })).code;
  assert.equal(price, 'amount(c.rng, 0.01, 99999999.99, 2, 40)');
  assert.match(chooseGenerator(facts('quantity', 'int', { rule: { min: 1, max: 99 } })).code, /^small\(c\.rng, 1, 99, /);
  assert.equal(chooseGenerator(facts('rating', 'smallint', { rule: { min: 1, max: 5 } })).code, 'c.rng.int(1, 5)');
  assert.equal(chooseGenerator(facts('score', 'smallint', { rule: { min: 10, max: 20 } })).code, 'c.rng.int(10, 20)');
  // Money never leaves the type: numeric(4,2) tops out at 99.99.
  const r = new Rng().reset(streamKey(1, 't', 'c'), 0);
  for (let i = 0; i < 2000; i++) {
    r.reset(streamKey(1, 't', 'c'), i);
    const v = amount(r, 0, 99.99, 2, 120);
    assert.ok(v >= 0 && v <= 99.99 && Math.round(v * 100) === v * 100 || Math.abs(Math.round(v * 100) - v * 100) < 1e-6, String(v));
  }
});

test('lists: enum labels and IN checks, failure states rarer; unique columns cycle through them', () => {
  const g = chooseGenerator(facts('status', 'enum:pending,paid,shipped,cancelled'));
  assert.match(g.code, /^c\.rng\.weighted\(\[\['pending', 4\], \['paid', 4\], \['shipped', 4\], \['cancelled', 1\]\]\)$/);
  assert.equal(chooseGenerator(facts('kind', 'text', { rule: { values: ['card', 'wallet'] } })).code, "c.rng.pick(['card', 'wallet'])");
  const u = chooseGenerator(facts('code', 'enum:a,b,c', { unique: true }));
  assert.equal(u.code, "nth(['a', 'b', 'c'], c.i)");
  assert.equal(u.capacity, 3);
  // enum ∩ check
  assert.equal(chooseGenerator(facts('s', 'enum:a,b,c', { rule: { values: ['b', 'c', 'z'] } })).code, "c.rng.pick(['b', 'c'])");
});

test('timestamps: kept between the earlier columns they follow or precede (a step apart when strict); natural by name', () => {
  const after = chooseGenerator(facts('updated_at', 'timestamptz', { lows: [{ column: 'created_at', strict: false, nullable: false }] }));
  assert.match(after.code, /^timeIn\(c\.rng, c\.t\.recent\(c\.t\.ago\(1095\)\), loOf\(c\.row\.created_at\), null, 120 \* DAY, 1, c\.refDate, 1\)$/);
  const ordered = chooseGenerator(facts('ends_on', 'date', { lows: [{ column: 'starts_on', strict: true, nullable: true }] }));
  assert.match(ordered.code, /loOf\(shift\(c\.row\.starts_on, 86400000\)\)/);
  const before = chooseGenerator(facts('created_at', 'timestamptz', { highs: [{ column: 'updated_at', strict: false, nullable: false }] }));
  assert.match(before.code, /null, hiOf\(c\.row\.updated_at\), 120 \* DAY, 1, c\.refDate, -1\)$/);
  // A window from a check or a partition: values drawn inside it, unique ones spread one slot per row.
  const window = chooseGenerator(facts('paid_at', 'timestamptz', { rule: { after: Date.UTC(2022, 0, 1), before: Date.UTC(2022, 6, 31) } }));
  assert.match(window.code, /^timeIn\(c\.rng, .*, 1640995200000, 1659225600000, /);
  const spread = chooseGenerator(facts('paid_at', 'timestamptz', { unique: true, rule: { after: Date.UTC(2022, 0, 1), before: Date.UTC(2022, 6, 31) } }));
  assert.match(spread.code, /^spreadTime\(c\.i, c\.count\('users'\), 1640995200000, 1659225600000, 1\)$/);
  assert.equal(chooseGenerator(facts('deleted_at', 'timestamptz')).nullShare, 0.9);
});

test('unique columns are bijections of the row index, with a capacity the row count respects', () => {
  assert.equal(chooseGenerator(facts('id', 'uuid', { unique: true })).code, 'uuidAt(c.i, 7)');
  assert.equal(chooseGenerator(facts('seq', 'int', { unique: true })).code, 'c.i + 1');
  assert.equal(chooseGenerator(facts('n', 'smallint', { unique: true, rule: { min: 100 } })).capacity, 32767 - 100 + 1);
  assert.match(chooseGenerator(facts('email', 'text', { unique: true })).code, /, c\.i, 254\)$/);
  assert.equal(chooseGenerator(facts('sku', 'varchar(16)', { unique: true })).code, 'code(c.rng, c.i, 16)');
  assert.equal(chooseGenerator(facts('code', 'varchar(2)', { unique: true })).capacity, 36 * 36 - 1);
  // The helpers really are injective.
  const r = new Rng().reset(streamKey(1, 'x', 'y'), 0);
  const makers: ((i: number) => string)[] = [(i) => uniq('Rock', i, 20), (i) => uniq('x', i, 4), (i) => code(r, i, 16), (i) => code(r, i, 3), (i) => uuidAt(i, 3), (i) => email('Ann', 'Lee', i, 30)];
  for (const make of makers) {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const v = make(i);
      assert.ok(!seen.has(v), `duplicate ${v} at ${i}`);
      seen.add(v);
    }
  }
  assert.ok(uniq('a very long name indeed', 123456, 12).length <= 12);
  assert.ok(email('Maximilian-Alexander', 'Oppenheimer-Smith', 99999, 30).length <= 30);
  const perm = new Set(Array.from({ length: 97 }, (_, i) => permute(i, 97, 5)));
  assert.equal(perm.size, 97);
  assert.equal(pgArray(['a', 'b"c', null, 3]), '{"a","b\\"c",NULL,3}');
});

test('arrays become array literals of element generators', () => {
  assert.match(chooseGenerator(facts('tags', 'text[]')).code, /^pgArray\(\[\.\.\.new Set\(list\(c, 0, 4, \(\) => c\.faker\.word\.noun\(\)\)\)\]\)$/);
  assert.match(chooseGenerator(facts('scopes', 'text[]')).code, /'read', 'write'/);
});

// ---- the generated dataset -----------------------------------------------------------------------

test('a PK of two foreign keys is a junction; one unique foreign key is one child per parent; a key plus a number is a group', () => {
  const d = gen([
    table('users', [col('id', 'bigint', { ...nn, identity: 'always' }), col('email', 'text', nn)], { pk: ['id'], uniques: [['email']] }),
    table('groups', [col('id', 'int', nn), col('name', 'text', nn)], { pk: ['id'] }),
    table('memberships', [col('group_id', 'int', nn), col('user_id', 'bigint', nn), col('role', 'enum:owner,member', nn)], { pk: ['group_id', 'user_id'], fks: [[['group_id'], 'groups', ['id']], [['user_id'], 'users', ['id']]] }),
    table('profiles', [col('user_id', 'bigint', nn), col('bio', 'text')], { pk: ['user_id'], fks: [[['user_id'], 'users', ['id']]] }),
    table('orders', [col('id', 'bigint', nn), col('user_id', 'bigint', nn)], { pk: ['id'], fks: [[['user_id'], 'users', ['id']]] }),
    table('order_lines', [col('order_id', 'bigint', nn), col('line_no', 'smallint', nn), col('qty', 'int', nn)], { pk: ['order_id', 'line_no'], fks: [[['order_id'], 'orders', ['id']]], checks: ['CHECK ((line_no > 0))'] }),
  ]);
  assert.match(d.source, /memberships: \{\n\s+junction: \{ parent: 'groups', target: 'users', count: \(c\) => c\.rng\.int\(1, \d\) \},/);
  assert.match(line(d.source, 'memberships', 'group_id'), /gen: \(c\) => c\.parent\.id/);
  assert.match(line(d.source, 'memberships', 'user_id'), /gen: \(c\) => c\.key\('users', c\.partner\)/);
  assert.match(d.source, /profiles: \{\n\s+per: \{ parent: 'users', count: 1 \},/);
  assert.match(d.source, /order_lines: \{\n\s+per: \{ parent: 'orders', count: \(c\) => c\.rng\.int\(1, 5\) \},/);
  assert.match(line(d.source, 'order_lines', 'line_no'), /gen: \(c\) => c\.k \+ 1/);
  assert.match(line(d.source, 'users', 'id'), /id: \{ type: 'bigint' \}, \/\/ primary key: the row number; identity \(ALWAYS\)/);
  assert.match(line(d.source, 'users', 'email'), /unique: true, gen: \(c\) => email\(.*c\.i, 254\)/);
  assert.match(line(d.source, 'orders', 'user_id'), /references: 'users', gen: \(c\) => c\.ref\('users'\)/);
  // Rows: groups and users are entities (--rows 100); orders children get more.
  assert.equal(d.tables.find((t) => t.table === 'users')!.rows, 100);
  assert.equal(d.tables.find((t) => t.table === 'orders')!.rows, 200);
});

test('composite foreign keys pick one parent row and copy its key columns; self-references point at earlier rows', () => {
  const d = gen([
    table('bins', [col('warehouse_id', 'int', nn), col('code', 'varchar(10)', nn)], { pk: ['warehouse_id', 'code'] }),
    table('stock', [col('id', 'bigint', nn), col('warehouse_id', 'int', nn), col('bin_code', 'varchar(10)', nn), col('qty', 'int', nn)], { pk: ['id'], fks: [[['warehouse_id', 'bin_code'], 'bins', ['warehouse_id', 'code']]] }),
    table('employees', [col('id', 'int', nn), col('manager_id', 'int')], { pk: ['id'], fks: [[['manager_id'], 'employees', ['id']]] }),
    table('org_units', [col('id', 'int', nn), col('parent_id', 'int', nn)], { pk: ['id'], fks: [[['parent_id'], 'org_units', ['id']]] }),
  ]);
  assert.match(line(d.source, 'stock', '_bins_row'), /virtual: true, gen: \(c\) => c\.refIndex\('bins'\)/);
  assert.match(line(d.source, 'stock', 'bin_code'), /c\.lookup\('bins', c\.row\._bins_row as number\)\.code/);
  assert.match(d.source, /foreignKeys: \[\{ columns: \['warehouse_id', 'bin_code'\], table: 'bins', refColumns: \['warehouse_id', 'code'\] \}\]/);
  assert.match(line(d.source, 'employees', 'manager_id'), /c\.rng\.chance\(0\.7\) \? c\.i > 0 \? c\.key\('employees', c\.rng\.int\(0, c\.i - 1\)\) : null : null/);
  assert.match(line(d.source, 'org_units', 'parent_id'), /c\.i > 0 \? c\.key\('org_units', c\.rng\.int\(0, c\.i - 1\)\) : c\.row\.id/);
});

test('cycles: through a nullable key it is left to the engine; with only NOT NULL keys one is undeclared and reported', () => {
  const soft = gen([
    table('departments', [col('id', 'int', nn), col('manager_id', 'int')], { pk: ['id'], fks: [[['manager_id'], 'employees', ['id']]] }),
    table('employees', [col('id', 'int', nn), col('department_id', 'int', nn)], { pk: ['id'], fks: [[['department_id'], 'departments', ['id']]] }),
  ]);
  assert.equal(soft.findings.filter((f) => f.severity !== 'info').length, 0);
  assert.match(line(soft.source, 'departments', 'manager_id'), /references: 'employees'/);
  const hard = gen([
    table('a', [col('id', 'int', nn), col('b_id', 'int', nn)], { pk: ['id'], fks: [[['b_id'], 'b', ['id']]] }),
    table('b', [col('id', 'int', nn), col('a_id', 'int', nn)], { pk: ['id'], fks: [[['a_id'], 'a', ['id']]] }),
  ]);
  const f = hard.findings.find((x) => /cycle of NOT NULL/.test(x.problem));
  assert.ok(f, 'the NOT NULL cycle is reported');
  assert.equal(f.severity, 'warning');
  const undeclared = f.table === 'a' ? line(hard.source, 'a', 'b_id') : line(hard.source, 'b', 'a_id');
  assert.doesNotMatch(undeclared, /references:/);
  assert.match(undeclared, /c\.ref\(/);
});

test('nothing is skipped silently: generated columns, unparsable checks, unknown types, outside references', () => {
  const d = gen([
    table('items', [
      col('id', 'int', nn),
      col('price', 'numeric(10,2)', nn),
      col('qty', 'int', nn),
      col('total', 'numeric(12,2)', { generated: '(price * qty)' }),
      col('ref', 'varchar(20)'),
      col('label', 'text', { ...nn, default: "'x'::text" }),
      col('area', 'box'),
      col('shape', 'box', nn),
      col('owner_id', 'int', nn),
    ], {
      pk: ['id'],
      fks: [[['owner_id'], 'owners', ['id']]],
      checks: [`CHECK (((ref)::text ~ '^[A-Z]'::text))`, `CHECK ((label ~ '^x'::text))`, 'CHECK ((price > (0)::numeric))'],
      foreignKeys: [{ name: 'items_owner_fkey', columns: ['owner_id'], refSchema: 'other', refTable: 'owners', refColumns: ['id'], deferrable: false, validated: true }],
    }),
  ]);
  const by = (column: string) => d.findings.filter((f) => f.column === column);
  assert.equal(by('total')[0]!.severity, 'info');
  assert.doesNotMatch(d.source, /\btotal: \{/);
  // Regular expressions are solved: values are bent into or generated from the pattern.
  assert.deepEqual(by('ref').filter((f) => f.severity !== 'info'), []);
  assert.match(line(d.source, 'items', 'ref'), /matching\(c\.rng, .*'\^\[A-Z\]', false, null, 20, 0\)/);
  assert.match(line(d.source, 'items', 'label'), /matching\(c\.rng, .*'\^x'/);
  assert.equal(by('area')[0]!.severity, 'warning');
  assert.equal(by('shape')[0]!.severity, 'error');
  assert.equal(by('owner_id')[0]!.severity, 'error');
  assert.match(line(d.source, 'items', 'price'), /amount\(c\.rng, 0\.01, /);
});

test('a unique enum key bounds the table: a fixed catalog that never scales', () => {
  const d = gen([table('currencies', [col('code', 'enum:USD,EUR,GBP', nn), col('symbol', 'varchar(4)', nn)], { pk: ['code'] })]);
  assert.match(d.source, /rows: 3,\n\s+fixed: Array\.from\(\{ length: 3 \}, \(\) => \(\{\}\)\),/);
  assert.ok(d.findings.some((f) => f.table === 'currencies' && /3 possible values/.test(f.problem)));
});

test('columns the sink cannot load are left to the database when they may be, else reported as errors', () => {
  const d = generateDataset(catalog([table('t', [col('id', 'int', nn), col('tags', 'text[]'), col('must', 'text[]', nn), col('dflt', 'text[]', { ...nn, default: "'{}'::text[]" })], { pk: ['id'] })]), {
    seedpipeImport: '../src',
    canLoad: (_t, c) => (c.type.arrayDims ? 'no arrays' : null),
  });
  assert.match(d.source, /\/\/ tags: no arrays: left to the database \(NULL\)/);
  assert.match(d.source, /\/\/ dflt: no arrays: left to the database \(default '\{\}'::text\[\]\)/);
  assert.match(line(d.source, 't', 'must'), /pgArray/);
  assert.equal(d.findings.find((f) => f.column === 'must')!.severity, 'error');
});
