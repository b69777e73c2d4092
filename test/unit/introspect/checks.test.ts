import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atomText, dnf, type Formula } from '../../../src/introspect/checks/atoms.js';
import { foldDomain } from '../../../src/introspect/checks/domain.js';
import { holdsOf, passOf, prepare, type LogicContext } from '../../../src/introspect/checks/logic.js';
import { checkBody, parseExpr } from '../../../src/introspect/checks/parse.js';
import { solve, type SolverColumn } from '../../../src/introspect/checks/solver.js';
import { tautologyWithNulls } from '../../../src/introspect/column-kinds.js';
import { singleExpression } from '../../../src/introspect/catalog.js';

const kinds: Record<string, ReturnType<LogicContext['kindOf']>> = { ended: 'bool', primary_for_locale: 'bool', active: 'bool', approved_at: 'date', created_at: 'date', d: 'date', tags: 'array', perms: 'array' };
const ctx: LogicContext = {
  kindOf: (c) => kinds[c] ?? 'number',
  functions: [
    { schema: 'mb', name: 'padded_by_whitespace', args: 1, body: 'btrim($1) <> $1' },
    { schema: 'mb', name: 'controlled_for_whitespace', args: 1, body: 'NOT padded_by_whitespace($1)' },
  ],
};
const pass = (def: string): Formula => passOf(prepare(checkBody(def), ctx), ctx);
/** The DNF terms of a check, as sorted text (each term: atoms joined by ∧). */
const terms = (def: string): string[] => dnf(pass(def)).map((t) => t.map(atomText).sort().join(' ∧ ')).sort();

test('SQL three-valued logic: a check passes unless FALSE, so NULLs pass ranges but not null tests', () => {
  assert.deepEqual(terms('CHECK (((rating >= 0) AND (rating <= 100)))'), ['rating <= 100 ∧ rating >= 0', 'rating IS NULL']);
  assert.deepEqual(terms('CHECK (((a IS NOT NULL) OR (b IS NOT NULL)))'), ['a IS NOT NULL', 'b IS NOT NULL']);
  // `(a IS NOT NULL) OR (b > 0)` passes with both NULL: FALSE OR NULL is NULL.
  assert.ok(terms('CHECK (((a IS NOT NULL) OR (b > 0)))').includes('b IS NULL'));
});

test('exactly one of: num_nonnulls, <> between null tests, and the OR-of-ANDs form', () => {
  const one = ['a IS NOT NULL ∧ b IS NULL', 'a IS NULL ∧ b IS NOT NULL'];
  assert.deepEqual(terms('CHECK ((num_nonnulls(a, b) = 1))'), one);
  assert.deepEqual(terms('CHECK (((a IS NOT NULL) <> (b IS NOT NULL)))'), one);
  assert.deepEqual(terms('CHECK (((a IS NULL) <> (b IS NULL)))'), one);
  assert.deepEqual(terms('CHECK ((((a IS NULL) AND (b IS NOT NULL)) OR ((a IS NOT NULL) AND (b IS NULL))))'), one);
  assert.deepEqual(terms('CHECK ((num_nulls(a, b, c) >= 2))'), ['a IS NULL ∧ b IS NULL', 'a IS NULL ∧ c IS NULL', 'b IS NULL ∧ c IS NULL']);
});

test('a status tied to its timestamp, IS TRUE / IS FALSE, <> ALL, casts as Postgres prints them', () => {
  const t = terms(`CHECK (((status = 'approved'::public.quote_status) = (approved_at IS NOT NULL)))`);
  assert.ok(t.includes(`approved_at IS NOT NULL ∧ status = 'approved'`));
  assert.ok(t.includes(`approved_at IS NULL ∧ status <> 'approved'`));
  assert.deepEqual(terms('CHECK ((((locale IS NULL) AND (primary_for_locale IS FALSE)) OR (locale IS NOT NULL)))'), ['locale IS NOT NULL', 'locale IS NULL ∧ primary_for_locale = false ∧ primary_for_locale IS NOT NULL']);
  assert.deepEqual(terms('CHECK ((type <> ALL (ARRAY[2, 5, 6])))'), ['type IS NULL', 'type NOT IN (2, 5, 6)']);
  assert.deepEqual(terms(`CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))`), ['kind IN (\'a\', \'b\')', 'kind IS NULL']);
  assert.deepEqual(terms(`CHECK ((latitude >= ('-90'::integer)::numeric))`), ['latitude >= -90', 'latitude IS NULL']);
  assert.deepEqual(terms(`CHECK ((d < '2022-02-01 00:00:00+00'::timestamp with time zone))`), [`d < '2022-02-01T00:00:00.000Z'`, 'd IS NULL']);
});

test('functions of the schema are inlined; lengths, cardinality, lower/btrim, regular expressions, LIKE', () => {
  assert.deepEqual(terms('CHECK (mb.controlled_for_whitespace((name)::text))'), ['btrim(name) = name', 'name IS NULL']);
  assert.deepEqual(terms('CHECK ((char_length(bio) <= 280))'), ['bio IS NULL', 'char_length(bio) <= 280']);
  assert.deepEqual(terms('CHECK (((organization_id IS NOT NULL) OR (cardinality(perms) = 0)))'), ['cardinality(perms) = 0', 'organization_id IS NOT NULL', 'perms IS NULL']);
  assert.deepEqual(terms('CHECK ((lower(email) = email))'), ['email IS NULL', 'lower(email) = email']);
  assert.deepEqual(terms(`CHECK (((code)::text ~ '^[a-z0-9_]{1,100}$'::text))`), ["code IS NULL", "code ~ '^[a-z0-9_]{1,100}$'"]);
  assert.deepEqual(terms(`CHECK ((sku ~~ 'AB%'::text))`), ["sku IS NULL", "sku ~ '^AB.*$'"]);
  assert.deepEqual(terms(`CHECK ((NOT (''::text = ANY (perms))))`), [`NOT '' = ANY (perms)`, 'perms IS NULL']);
  assert.deepEqual(terms('CHECK ((total = (fees + taxes)))'), ['fees IS NULL', 'taxes IS NULL', 'total + -1*fees + -1*taxes = 0', 'total IS NULL'].sort());
  assert.equal(singleExpression("\n  SELECT btrim($1) <> $1;\n"), 'btrim($1) <> $1');
  assert.equal(singleExpression('SELECT count(*) FROM t WHERE x = $1'), null);
  assert.equal(singleExpression("BEGIN ATOMIC\n SELECT ($1 ~ E'\\\\s{2,}');\nEND"), "($1 ~ E'\\\\s{2,}')");
});

test('what it does not understand stays opaque, and its NULL escape is exact', () => {
  const f = pass('CHECK (((price * (qty)::numeric) < (1000)::numeric))');
  assert.ok(dnf(f).some((t) => t.some((a) => a.a === 'opaque')));
  assert.equal(tautologyWithNulls(f, ['price']), true, 'a NULL factor makes the product NULL: the check passes');
  const g = pass('CHECK ((length(code) % 2) = 0)');
  assert.equal(tautologyWithNulls(g, []), false);
  const h = pass('CHECK ((COALESCE(a, 0) * b) > 1)');
  assert.equal(tautologyWithNulls(h, ['a']), false, 'COALESCE is not strict');
  assert.throws(() => parseExpr('(x > )'));
});

test('partition bounds and partial-index predicates must be TRUE, not just not FALSE', () => {
  const e = prepare(`((d IS NOT NULL) AND (d >= '2022-01-01 00:00:00+00'::timestamp with time zone) AND (d < '2022-02-01 00:00:00+00'::timestamp with time zone))`, ctx);
  assert.deepEqual(dnf(holdsOf(e, ctx)).map((t) => t.map(atomText).sort().join(' ∧ ')), [`d < '2022-02-01T00:00:00.000Z' ∧ d >= '2022-01-01T00:00:00.000Z' ∧ d IS NOT NULL`]);
});

test('domains fold strict bounds to the column step and detect contradictions', () => {
  const col = { step: 1, dateStep: 86_400_000, temporal: false, notNull: false };
  const d = foldDomain(dnf(pass('CHECK (((qty > 0) AND (qty < 100)))')).find((t) => t.some((a) => a.a === 'cmp'))!, col)!;
  assert.deepEqual([d.min, d.max], [1, 99]);
  assert.deepEqual(foldDomain(dnf(pass('CHECK ((price > (0)::numeric))')).flat().filter((a) => a.a === 'cmp'), { ...col, step: 0.01 })!.min, 0.01);
  assert.equal(foldDomain([{ a: 'cmp', col: 'x', op: '=', v: { t: 'str', v: 'a' } }, { a: 'cmp', col: 'x', op: '<>', v: { t: 'str', v: 'a' } }], col), null);
  assert.equal(foldDomain([{ a: 'null', col: 'x', not: false }, { a: 'cmp', col: 'x', op: '>', v: { t: 'num', v: 1 } }], col), null);
});

const column = (name: string, o: Partial<SolverColumn> = {}): SolverColumn => ({ name, domain: { step: 1, dateStep: 1, temporal: false, notNull: false }, nullable: true, nullShare: 0.1, ...o });

test('the solver: one-column alternatives, components with cases, guards on the row number, unsolved checks', () => {
  const c = (name: string, def: string) => ({ name, text: def, formula: pass(def) });
  const s = solve(
    [column('id', { rowKey: true, nullable: false }), column('rating'), column('plan_id'), column('subscription_id'), column('type', { nullable: false }), column('code', { nullable: false })],
    [
      c('rating', 'CHECK (((rating >= 0) AND (rating <= 100)))'),
      c('one_parent', 'CHECK (((plan_id IS NOT NULL) <> (subscription_id IS NOT NULL)))'),
      c('first', 'CHECK (((id <> 1) OR (type = 3)))'),
      c('odd', 'CHECK ((length(code) % 2) = 0)'),
    ],
  );
  const rating = s.singles.get('rating')!;
  assert.deepEqual(rating.map((a) => [a.domain.isNull ?? false, a.domain.min, a.domain.max, a.weight]), [[true, undefined, undefined, 0.1], [false, 0, 100, 0.9]]);
  const parents = s.components.find((x) => x.columns.includes('plan_id'))!;
  assert.equal(parents.cases.length, 2);
  // `id <> 1 OR type = 3`: a case open to every row but row 0 (a guard on the row number), and `type = 3`.
  const first = s.components.find((x) => x.columns.includes('type'))!;
  assert.deepEqual(first.cases.map((k) => k.guards.map(atomText).join() || k.columns.get('type')!.map((a) => a.domain.values).join()).sort(), ['3', 'id <> 1']);
  assert.deepEqual(s.unsolved.map((u) => u.check.name), ['odd']);
});
