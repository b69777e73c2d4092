import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, article, grammar } from '../../../src/index.js';

const key = Uint32Array.of(1, 2, 3, 4);

test('grammar: symbols, variables, capitals and articles expand deterministically', () => {
  const g = grammar({
    start: ['{^greet} {$name}, is {a $thing} {state}?'],
    greet: ['hi', 'hey'],
    state: [['ready', 3], ['done', 1]],
  });
  const out = (x: number): string => g.expand(new Rng().reset(key, x), { name: 'Ana', thing: ['invoice', 'order'] });
  for (let x = 0; x < 50; x++) {
    const s = out(x);
    assert.match(s, /^(Hi|Hey) Ana, is (an invoice|an order) (ready|done)\?$/);
    assert.equal(s, out(x), 'same coordinates, same text');
  }
  const states = Array.from({ length: 4000 }, (_, x) => out(x).endsWith('ready?'));
  const share = states.filter(Boolean).length / states.length;
  assert.ok(share > 0.7 && share < 0.8, `weights 3:1 give ≈ 75% (got ${share})`);
});

test('grammar: unknown symbols fail when the grammar is built, missing variables when expanded', () => {
  assert.throws(() => grammar({ start: ['{nope}'] }), /unknown symbol \{nope\}/);
  assert.throws(() => grammar({ start: [] }), /no alternatives/);
  const g = grammar({ start: ['{$x}'] });
  assert.throws(() => g.expand(new Rng().reset(key, 0)), /\{\$x\} has no value/);
  assert.throws(() => g.expand(new Rng().reset(key, 0), { x: 'a' }, 'other'), /no symbol "other"/);
});

test('article: a/an by the sound of the first letter', () => {
  assert.equal(article('accountant'), 'an');
  assert.equal(article('nurse'), 'a');
  assert.equal(article('user'), 'a');
  assert.equal(article('hour'), 'an');
  assert.equal(article('undo'), 'an');
  assert.equal(article('European'), 'a');
});

test('grammar: a capital goes to the first letter of the whole expansion, past empty parts, through articles and variables', () => {
  const rng = new Rng().reset(key, 0);
  const one = (spec: Parameters<typeof grammar>[0], vars = {}): string => grammar(spec).expand(rng, vars);
  // Handed down through nested symbols to the first literal.
  assert.equal(one({ start: ['{^a}'], a: ['{b} there'], b: ['{c}'], c: ['hello'] }), 'Hello there');
  // An empty expansion passes the capital on to what follows it.
  assert.equal(one({ start: ['{^a}'], a: ['{e}{e}{f}'], e: [''], f: ['ok'] }), 'Ok');
  assert.equal(one({ start: ['{^a}'], a: ['{$none}{$v} now'] }, { none: '', v: 'go' }), 'Go now');
  // The article comes first, so it takes the capital; the word after it keeps its own case.
  assert.equal(one({ start: ['{^a}'], a: ['{a b} arrived'], b: ['order'] }), 'An order arrived');
  assert.equal(one({ start: ['{^a}'], a: ['{a $v}'] }, { v: 'invoice' }), 'An invoice');
  // `{^a x}` capitalises x itself, after its article.
  assert.equal(one({ start: ['{^a $v}'] }, { v: 'user' }), 'a User');
  assert.equal(one({ start: ['{^a}'], a: ['{^a $v}'] }, { v: 'user' }), 'A User');
  // Only the first letter: later parts are as written.
  assert.equal(one({ start: ['{^a}, {a}'], a: ['ok'] }), 'Ok, ok');
  // Literals capitalise as capitalising the string would (non-ASCII included).
  assert.equal(one({ start: ['{^a}'], a: ['über alles'] }), 'Über alles');
});
