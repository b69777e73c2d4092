/**
 * Partial unique indexes kept by gates, in a multi-tenant schema: where the tenancy decides a
 * column of the index (organization_id), the rows that may meet the predicate are one per tenant;
 * where the index also holds another key, that key is made unique instead; and two indexes on the
 * same column share one gate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalog, CatalogColumn, CatalogTable, CatalogUnique, ColumnTypeInfo } from '../../../src/introspect/catalog-types.js';
import { generateDataset } from '../../../src/introspect/generate.js';
import { Tenancy } from '../../../src/introspect/runtime-refs.js';
import type { GenContext } from '../../../src/generate/context.js';

const BASE: Record<string, Partial<ColumnTypeInfo>> = { uuid: { base: 'uuid', category: 'U' }, text: { base: 'text', category: 'S' }, bool: { base: 'bool', category: 'B' }, timestamptz: { base: 'timestamptz', category: 'D' } };
const col = (name: string, t: string, notNull = false): CatalogColumn => ({
  name, position: 0, notNull, default: null, identity: null, generated: null, comment: null, sequence: null,
  type: { declared: t, declaredBase: t, baseSchema: 'pg_catalog', typtype: 'b', arrayDims: 0, domains: [], base: t, category: 'X', ...BASE[t] } as ColumnTypeInfo,
});
const partial = (name: string, columns: string[], predicate: string): CatalogUnique => ({ name, kind: 'unique index', columns, expressions: [], predicate, nullsNotDistinct: false, definition: `CREATE UNIQUE INDEX ${name} … WHERE ${predicate}` });

/** A table with a uuid `id` key, the columns given, and foreign keys column → table. */
function table(name: string, columns: CatalogColumn[], fks: [string, string][], uniques: CatalogUnique[] = []): CatalogTable {
  return {
    schema: 'public', name, kind: 'r', comment: null, columns: [col('id', 'uuid', true), ...columns].map((c, i) => ({ ...c, position: i + 1 })),
    primaryKey: { name: `${name}_pkey`, kind: 'primary key', columns: ['id'], expressions: [], predicate: null, nullsNotDistinct: false, definition: '' },
    uniques, checks: [], exclusions: [], insertTriggers: [],
    foreignKeys: fks.map(([c, t], i) => ({ name: `${name}_fk${i}`, columns: [c], refSchema: 'public', refTable: t, refColumns: ['id'], deferrable: false, validated: true })),
  };
}

const orgKey = (): CatalogColumn => col('organization_id', 'uuid', true);
const tenantSchema = (extra: CatalogTable[]): Catalog => ({
  schemas: ['public'], serverVersion: 180000, database: 'billing', extensions: {}, functions: [],
  tables: [
    table('organizations', [col('name', 'text', true)], []),
    table('customers', [orgKey(), col('name', 'text')], [['organization_id', 'organizations']]),
    table('plans', [orgKey(), col('name', 'text')], [['organization_id', 'organizations']]),
    table('invoices', [orgKey(), col('customer_id', 'uuid', true)], [['organization_id', 'organizations'], ['customer_id', 'customers']]),
    ...extra,
  ],
});
const gen = (extra: CatalogTable[]) => generateDataset(tenantSchema(extra), { seedpipeImport: '../../src', rows: 2500 });

/** The generator expression of `table.column` in the module source. */
function genOf(source: string, tableName: string, column: string): string {
  const rest = source.slice(source.indexOf(`    ${tableName}: {`));
  const m = new RegExp(`^\\s+${column}: \\{.*?gen: \\(c\\) => (.*?) \\},(?: // .*)?$`, 'm').exec(rest.slice(0, rest.indexOf('\n    },')));
  assert.ok(m, `${tableName}.${column} in the source`);
  return m[1]!;
}

const APPLIED = '((applied_to_organization = true) AND (deleted_at IS NULL))';

test('a partial unique index on the tenant column: the first row of each tenant may meet the predicate, the tenancy keeps the key', () => {
  const d = gen([table('dunning_campaigns', [orgKey(), col('applied_to_organization', 'bool', true), col('deleted_at', 'timestamptz')], [['organization_id', 'organizations']], [partial('index_unique_applied', ['organization_id'], APPLIED)])]);
  assert.equal(d.tenant, 'organizations');
  assert.deepEqual(d.findings.filter((f) => f.severity === 'error'), []);
  const f = d.findings.find((x) => x.problem.startsWith('unique index index_unique_applied'));
  assert.equal(f?.chosen, "in each tenant, only its first row may meet the predicate, with each organization_id (the row's organizations row, set by the tenancy) once; the other rows are generated outside it");
  // The key is the row's tenant; the case selector opens the predicate only at the tenant's first row.
  assert.equal(genOf(d.source, 'dunning_campaigns', 'organization_id'), 'tenancy.key(c, c.row._tenant as number)');
  const selector = genOf(d.source, 'dunning_campaigns', '_case\\d+');
  assert.match(selector, /tenancy\.rank\(c, 'dunning_campaigns', c\.row\._tenant as number\) === 0/);
  assert.doesNotMatch(d.source, /permute\(c\.i, c\.count\('organizations'\)/, 'no permutation of organizations the tenancy would override');
});

test('the rank-0 rows of a block-scoped table are one per tenant, at any ratio of rows to tenants', () => {
  const cases: [number, number][] = [[2500, 250], [1000, 100], [2200, 220], [7, 5], [3, 10]];
  for (const [n, nT] of cases) {
    const tenancy = new Tenancy('organizations', { organizations: 'self', dunning_campaigns: 'block' });
    const counts: Record<string, number> = { organizations: nT, dunning_campaigns: n };
    const open: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = { i, count: (t: string) => counts[t]! } as unknown as GenContext;
      const t = tenancy.of(c, 'dunning_campaigns');
      if (tenancy.rank(c, 'dunning_campaigns', t) === 0) open.push(t);
    }
    assert.equal(new Set(open).size, open.length, `${n} rows, ${nT} tenants: one open row per tenant`);
    assert.equal(open.length, Math.min(n, nT), `${n} rows, ${nT} tenants: every tenant with rows has one`);
  }
});

test('a partial unique index on the tenant column and another key: the other key is made unique within the tenant', () => {
  const d = gen([table('plan_defaults', [orgKey(), col('plan_id', 'uuid', true), col('deleted_at', 'timestamptz')], [['organization_id', 'organizations'], ['plan_id', 'plans']], [partial('plan_defaults_active', ['organization_id', 'plan_id'], '(deleted_at IS NULL)')])]);
  assert.deepEqual(d.findings.filter((f) => f.severity === 'error'), []);
  const f = d.findings.find((x) => x.problem.startsWith('unique index plan_defaults_active'));
  assert.match(f?.chosen ?? '', /^in each tenant, as many rows as it has plans rows \(one each\) may meet the predicate/);
  assert.equal(genOf(d.source, 'plan_defaults', 'organization_id'), 'tenancy.key(c, c.row._tenant as number)');
  assert.match(genOf(d.source, 'plan_defaults', 'plan_id'), /^tenancy\.rank\(c, 'plan_defaults', c\.row\._tenant as number\) < tenancy\.size\(c, 'plans', c\.row\._tenant as number\) \? c\.key\('plans', tenancy\.distinct\(/);
});

test('two partial unique indexes on the same key share one gate (same rows, same values)', () => {
  const d = gen([table('invoice_runs', [orgKey(), col('customer_id', 'uuid', true), col('reason', 'text'), col('deleted_at', 'timestamptz'), col('voided_at', 'timestamptz')], [['organization_id', 'organizations'], ['customer_id', 'customers']], [
    partial('invoice_runs_active', ['customer_id'], '(deleted_at IS NULL)'),
    partial('invoice_runs_open', ['customer_id'], '(voided_at IS NULL)'),
  ])]);
  assert.deepEqual(d.findings.filter((f) => f.severity === 'error'), []);
  const gates = d.findings.filter((x) => /^unique index invoice_runs_(active|open)/.test(x.problem)).map((x) => x.chosen);
  assert.equal(gates.length, 2);
  assert.equal(gates[0], gates[1]);
  const customer = genOf(d.source, 'invoice_runs', 'customer_id');
  assert.equal(customer.match(/tenancy\.distinct/g)?.length, 1, customer);
});

test("a partial unique index on a junction's partner key: the shape sets that key, so the gate opens at the first row only", () => {
  const d = generateDataset({
    schemas: ['public'], serverVersion: 180000, database: 'blog', extensions: {}, functions: [],
    tables: [
      table('posts', [col('title', 'text', true)], []),
      table('tags', [col('name', 'text', true)], []),
      { ...table('post_tags', [col('post_id', 'uuid', true), col('tag_id', 'uuid', true), col('is_primary', 'bool', true)], [['post_id', 'posts'], ['tag_id', 'tags']], [
        { name: 'post_tags_pair', kind: 'unique constraint', columns: ['post_id', 'tag_id'], expressions: [], predicate: null, nullsNotDistinct: false, definition: '' },
        partial('post_tags_one_primary_per_tag', ['tag_id'], 'is_primary'),
      ]) },
    ],
  }, { seedpipeImport: '../../src', rows: 2500 });
  assert.deepEqual(d.findings.filter((f) => f.severity === 'error'), []);
  assert.equal(d.tables.find((t) => t.table === 'post_tags')?.shape, 'junction');
  const f = d.findings.find((x) => x.problem.startsWith('unique index post_tags_one_primary_per_tag'));
  assert.match(f?.chosen ?? '', /^only the first row may meet the predicate/);
  assert.match(genOf(d.source, 'post_tags', '_case\\d+'), /c\.i < 1/);
  assert.doesNotMatch(genOf(d.source, 'post_tags', 'tag_id'), /permute/, 'the partner stays the shape\'s');
});
