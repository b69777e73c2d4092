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
