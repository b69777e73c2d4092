/**
 * Typed datasets: what `defineDataset` infers is checked by `npm run typecheck` (each
 * `@ts-expect-error` below must stay an error, each `Expect` must hold); the runtime behaviour
 * (validation, freezing) is the one of an untyped declaration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineDataset, isSeedpipeError, makePlan, type DatasetDef, type GenContext, type TableDef } from '../../../src/index.js';
import { World } from '../../../src/generate/world.js';
import fifty from '../../fixtures/datasets/typed-50.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
const seen: Record<string, unknown> = {};
/** Records a type for an `Expect` and returns a value of the generator's column type. */
function probe<T>(name: string, value: T): T {
  seen[name] = value;
  return value;
}

const shop = defineDataset({
  name: 'shop',
  seed: 1,
  refDate: '2025-06-01T00:00:00Z',
  params: { ordersPerCustomer: 4, currency: 'EUR', gifts: true },
  profiles: { light: { rows: { customers: 10 }, params: { ordersPerCustomer: 2 } } },
  tables: {
    customers: {
      rows: 20,
      columns: {
        id: { type: 'bigint' },
        first: { type: 'text', virtual: true, gen: (c) => c.faker.person.firstName() },
        email: { type: 'text', unique: true, gen: (c) => `${c.row.first.toLowerCase()}.${c.i + 1}@example.com` },
        tier: { type: { enum: ['free', 'pro'] }, gen: (c) => c.rng.weighted({ free: 0.8, pro: 0.2 }) },
        bio: { type: 'varchar(200)', nullable: true, gen: (c) => (c.rng.chance(0.5) ? null : 'hello') },
        created_at: { type: 'timestamptz', gen: (c) => c.t.ago(100) },
      },
    },
    products: { rows: 5, columns: { id: { type: 'bigint' }, price: { type: 'numeric(10,2)', gen: (c) => c.rng.lognormal(2, 1) } } },
    orders: {
      per: { parent: 'customers', count: (c) => c.rng.poisson(c.params.ordersPerCustomer * (c.parent.tier === 'pro' ? 3 : 1)) },
      columns: {
        id: { type: 'bigint' },
        customer_id: { type: 'bigint', references: 'customers', gen: (c) => c.parent.id },
        product_id: { type: 'bigint', references: 'products', gen: (c) => c.ref('products', { dist: 'zipf' }) },
        total: {
          type: 'numeric(12,2)',
          gen: (c) => {
            type _row = Expect<Equal<typeof c.row, { readonly id: number; readonly customer_id: number; readonly product_id: number; readonly total: number; readonly placed_at: Date; readonly note: string | null }>>;
            type _parent = Expect<Equal<typeof c.parent.tier, 'free' | 'pro'>>;
            type _bio = Expect<Equal<typeof c.parent.bio, string | null>>;
            type _params = Expect<Equal<typeof c.params, { readonly ordersPerCustomer: number; readonly currency: string; readonly gifts: boolean }>>;
            type _lookup = Expect<Equal<ReturnType<typeof c.lookup<'products'>>, { readonly id: number; readonly price: number }>>;
            type _ref = Expect<Equal<ReturnType<typeof c.ref<'customers'>>, number>>;
            return probe('total', c.lookup('products', 0).price * 2);
          },
        },
        placed_at: { type: 'timestamptz', gen: (c) => c.t.after(c.parent.created_at, 30 * 86_400_000) },
        note: { type: 'text', nullable: true, gen: (c) => (c.params.gifts ? `${c.params.currency} gift` : null) },
      },
      embed: { text: (r) => `${r.id}: ${r.total}`, metadata: (r) => ({ placed: r.placed_at.toISOString() }) },
    },
  },
});

// Each of these is a compile error; the declarations are never run.
const wrong = (): unknown => [
  defineDataset({
    name: 'wrong_column', seed: 1, refDate: '2025-06-01T00:00:00Z',
    // @ts-expect-error: c.row has no column "emial"
    tables: { users: { rows: 1, columns: { id: { type: 'bigint' }, email: { type: 'text', gen: (c) => String(c.row.emial) } } } },
  }),
  defineDataset({
    name: 'wrong_table', seed: 1, refDate: '2025-06-01T00:00:00Z',
    // @ts-expect-error: there is no table "user"
    tables: { users: { rows: 1, columns: { id: { type: 'bigint' }, n: { type: 'bigint', gen: (c) => c.lookup('user', 0).id } } } },
  }),
  defineDataset({
    name: 'wrong_ref', seed: 1, refDate: '2025-06-01T00:00:00Z',
    // @ts-expect-error: there is no table "accounts"
    tables: { users: { rows: 1, columns: { id: { type: 'bigint' }, a: { type: 'bigint', gen: (c) => c.ref('accounts') } } } },
  }),
  defineDataset({
    name: 'wrong_parent_column', seed: 1, refDate: '2025-06-01T00:00:00Z',
    tables: {
      users: { rows: 1, columns: { id: { type: 'bigint' } } },
      // @ts-expect-error: the parent (users) has no column "name"
      posts: { per: { parent: 'users', count: 1 }, columns: { id: { type: 'bigint' }, t: { type: 'text', gen: (c) => c.parent.name } } },
    },
  }),
  defineDataset({
    name: 'wrong_param', seed: 1, refDate: '2025-06-01T00:00:00Z', params: { n: 1 },
    // @ts-expect-error: no parameter "m" is declared
    tables: { users: { rows: 1, columns: { id: { type: 'bigint' }, n: { type: 'int', gen: (c) => c.params.m } } } },
  }),
  defineDataset({
    name: 'wrong_return', seed: 1, refDate: '2025-06-01T00:00:00Z',
    // @ts-expect-error: a timestamptz generator returns a Date, not a string
    tables: { users: { rows: 1, columns: { id: { type: 'bigint' }, at: { type: 'timestamptz', gen: () => '2025-01-01' } } } },
  }),
  defineDataset({
    name: 'wrong_option', seed: 1, refDate: '2025-06-01T00:00:00Z',
    // @ts-expect-error: "nulable" is not a column option
    tables: { users: { rows: 1, columns: { id: { type: 'bigint' }, bio: { type: 'text', nulable: true, gen: () => 'x' } } } },
  }),
];

test('typed declarations: the generators run with the values their types say', () => {
  const plan = makePlan(shop, { profile: 'light' });
  const world = new World(plan.resolved);
  const order = world.table('orders').rowAt(0);
  const total = order.total; // rows are lazy: this runs the generator
  assert.equal(typeof total, 'number');
  assert.equal(seen.total, total);
  assert.ok(order.placed_at instanceof Date);
  assert.equal(order.note, 'EUR gift');
  assert.equal(typeof wrong, 'function');
});

test('typed declarations validate and freeze exactly as before', () => {
  assert.ok(Object.isFrozen(shop) && Object.isFrozen(shop.tables.orders!.columns.total));
  const def: DatasetDef = shop;
  assert.equal(def.tables.customers!.columns.tier!.type instanceof Object, true);
  // Tables declared elsewhere as Record<string, TableDef> stay untyped and still compile.
  const elsewhere: Record<string, TableDef> = {
    things: { rows: 2, columns: { id: { type: 'bigint' }, label: { type: 'text', gen: (c: GenContext) => `thing ${String(c.row.id)}` } } },
  };
  assert.equal(defineDataset({ name: 'untyped', seed: 1, refDate: '2025-06-01T00:00:00Z', tables: { ...elsewhere } }).tables.things!.rows, 2);
  assert.throws(
    () => defineDataset({ name: 'Bad Name', seed: 1, refDate: '2025-06-01T00:00:00Z', tables: { t: { rows: 1, columns: { id: { type: 'bigint' } } } } }),
    (e: unknown) => isSeedpipeError(e) && e.code === 'DATASET_INVALID' && /lower_snake_case/.test(e.message),
  );
});

test('a 50-table typed dataset plans and generates', () => {
  const plan = makePlan(fifty, { profile: 'light' });
  assert.equal(plan.tables.length, 50);
  const world = new World(plan.resolved);
  const row = world.table('t49').rowAt(0);
  assert.equal(typeof row.name, 'string');
  assert.ok((row.created_at as Date) >= (world.table('t45').rowAt(0).created_at as Date));
});
