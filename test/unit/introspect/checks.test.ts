import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBody, parseCheck, rulesOf, type CheckFact } from '../../../src/introspect/checks.js';

const facts = (def: string, value?: string): readonly CheckFact[] => {
  const p = parseCheck(def, value);
  assert.ok(p.ok, `${def}: ${p.ok ? '' : p.reason}`);
  return p.facts;
};

test('ranges as Postgres prints them: BETWEEN expanded, casts on literals, negative numbers', () => {
  assert.deepEqual(facts('CHECK (((rating >= 1) AND (rating <= 5)))'), [
    { kind: 'compare', column: 'rating', op: '>=', bound: { kind: 'number', value: 1 } },
    { kind: 'compare', column: 'rating', op: '<=', bound: { kind: 'number', value: 5 } },
  ]);
  assert.deepEqual(facts('CHECK ((price > (0)::numeric))'), [{ kind: 'compare', column: 'price', op: '>', bound: { kind: 'number', value: 0 } }]);
  assert.deepEqual(facts(`CHECK (((latitude >= ('-90'::integer)::numeric) AND (latitude <= (90)::numeric)))`).map((f) => (f as { bound: { value: number } }).bound.value), [-90, 90]);
  assert.deepEqual(facts('CHECK ((0 < quantity))'), [{ kind: 'compare', column: 'quantity', op: '>', bound: { kind: 'number', value: 0 } }]);
  assert.deepEqual(facts('CHECK ((x >= 0.5))'), [{ kind: 'compare', column: 'x', op: '>=', bound: { kind: 'number', value: 0.5 } }]);
  assert.deepEqual(facts('CHECK (("position" >= 0))'), [{ kind: 'compare', column: 'position', op: '>=', bound: { kind: 'number', value: 0 } }]);
});

test('value lists: = ANY (ARRAY[…]) with and without casts, OR of equalities, a single equality', () => {
  assert.deepEqual(facts(`CHECK ((status = ANY (ARRAY['draft'::text, 'published'::text])))`), [{ kind: 'in', column: 'status', values: ['draft', 'published'] }]);
  assert.deepEqual(facts(`CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b''c'::character varying])::text[])))`), [{ kind: 'in', column: 'status', values: ['a', "b'c"] }]);
  assert.deepEqual(facts('CHECK ((sla_hours = ANY (ARRAY[4, 8, 24])))'), [{ kind: 'in', column: 'sla_hours', values: [4, 8, 24] }]);
  assert.deepEqual(facts(`CHECK (((kind = 'a'::text) OR (kind = 'b'::text)))`), [{ kind: 'in', column: 'kind', values: ['a', 'b'] }]);
  assert.deepEqual(facts(`CHECK ((plan = 'free'::text))`), [{ kind: 'in', column: 'plan', values: ['free'] }]);
  assert.deepEqual(facts(`CHECK ((code = ANY ('{x,"y z"}'::text[])))`), [{ kind: 'in', column: 'code', values: ['x', 'y z'] }]);
});

test('lengths, orderings, presence, dates and "now"', () => {
  assert.deepEqual(facts('CHECK ((char_length(bio) <= 280))'), [{ kind: 'length', column: 'bio', op: '<=', value: 280 }]);
  assert.deepEqual(facts('CHECK ((length((code)::text) >= 2))'), [{ kind: 'length', column: 'code', op: '>=', value: 2 }]);
  assert.deepEqual(facts('CHECK ((updated_at >= created_at))'), [{ kind: 'order', left: 'updated_at', op: '>=', right: 'created_at' }]);
  assert.deepEqual(facts(`CHECK ((birth_date > '1900-01-01'::date))`), [{ kind: 'compare', column: 'birth_date', op: '>', bound: { kind: 'date', value: '1900-01-01' } }]);
  assert.deepEqual(facts('CHECK ((created_at <= now()))'), [{ kind: 'compare', column: 'created_at', op: '<=', bound: { kind: 'now' } }]);
  assert.deepEqual(facts('CHECK ((d <= CURRENT_DATE))'), [{ kind: 'compare', column: 'd', op: '<=', bound: { kind: 'now' } }]);
  assert.deepEqual(facts(`CHECK ((name <> ''::text))`), [{ kind: 'notEmpty', column: 'name' }]);
  assert.deepEqual(facts('CHECK ((email IS NOT NULL))'), [{ kind: 'notNull', column: 'email' }]);
  assert.deepEqual(facts('CHECK (((a IS NOT NULL) OR (b IS NOT NULL)))'), [{ kind: 'anyNotNull', columns: ['a', 'b'] }]);
});

test('"x IS NULL OR …" keeps the condition for values; domain checks bind VALUE to the column', () => {
  assert.deepEqual(facts('CHECK (((ends_on IS NULL) OR (ends_on >= starts_on)))'), [{ kind: 'order', left: 'ends_on', op: '>=', right: 'starts_on' }]);
  assert.deepEqual(facts('CHECK (((VALUE >= 0) AND (VALUE <= 100)))', 'discount'), [
    { kind: 'compare', column: 'discount', op: '>=', bound: { kind: 'number', value: 0 } },
    { kind: 'compare', column: 'discount', op: '<=', bound: { kind: 'number', value: 100 } },
  ]);
  assert.deepEqual(facts('CHECK ((char_length((VALUE)::text) >= 2))', 'code'), [{ kind: 'length', column: 'code', op: '>=', value: 2 }]);
  assert.equal(checkBody('CHECK ((x > 0)) NOT VALID'), '(x > 0)');
});

test('what it does not understand is reported with the columns it mentions, never guessed', () => {
  for (const def of [
    `CHECK (((reference)::text ~ '^[A-Z]'::text))`,
    'CHECK (((price * quantity) < 1000000))',
    'CHECK ((num_nonnulls(a, b) = 1))',
    'CHECK (((a IS NULL) = (b IS NULL)))',
    'CHECK ((NOT (a AND b)))',
    `CHECK ((lower(email) = email))`,
    'CHECK ((x <> 0))',
  ]) {
    const p = parseCheck(def);
    assert.equal(p.ok, false, def);
    assert.ok(!p.ok && p.reason.length > 0);
  }
  const p = parseCheck('CHECK (((price * quantity) < 1000000))');
  assert.deepEqual([...p.columns].sort(), ['price', 'quantity']);
  assert.equal(parseCheck('CHECK ((x > ))').ok, false);
});

test('rules fold facts per column: strict bounds tightened to the column step, lists intersected, orderings both ways', () => {
  const f = [
    ...facts('CHECK (((qty > 0) AND (qty < 100)))'),
    ...facts('CHECK ((price > (0)::numeric))'),
    ...facts(`CHECK ((status = ANY (ARRAY['a'::text, 'b'::text, 'c'::text])))`),
    ...facts(`CHECK ((status = ANY (ARRAY['b'::text, 'c'::text, 'd'::text])))`),
    ...facts('CHECK ((ends_at > starts_at))'),
    ...facts('CHECK ((char_length(code) < 10))'),
  ];
  const rules = rulesOf(f, (c) => (c === 'qty' ? 1 : c === 'price' ? 0.01 : 0));
  assert.deepEqual({ min: rules.get('qty')!.min, max: rules.get('qty')!.max }, { min: 1, max: 99 });
  assert.equal(rules.get('price')!.min, 0.01);
  assert.deepEqual(rules.get('status')!.values, ['b', 'c']);
  assert.deepEqual(rules.get('ends_at')!.greaterThan, [{ column: 'starts_at', strict: true }]);
  assert.deepEqual(rules.get('starts_at')!.lessThan, [{ column: 'ends_at', strict: true }]);
  assert.equal(rules.get('code')!.maxLength, 9);
});
