import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capacity, generate, lengthRange, parseRegex, simpleClass, toJsRegExp } from '../../../src/introspect/regex.js';
import { alt, avoid, matching, numIn, pickCase, spreadTime, timeIn } from '../../../src/introspect/runtime-constraints.js';
import { Rng } from '../../../src/random/rng.js';
import { streamKey } from '../../../src/random/hash.js';

const rng = (): Rng => new Rng().reset(streamKey(1, 't', 'c'), 0, 0);

const PATTERNS = [
  '^[a-z0-9_]{1,100}$', '^\\d{15}[\\dX]$', '^\\d{11}$', '^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$', '^T-?\\d{3}.?\\d{3}.?\\d{3}[-.]?\\d$',
  '^[A-Za-z0-9.~_-]{43,128}$', '^[^@\\s]+@[^@\\s]+$', '^#[0-9a-fA-F]{6}$', '^(draft|sent|paid)$', '^[[:upper:]][[:lower:]]+( [[:upper:]][[:lower:]]+)*$',
];

test('generated strings match the pattern (checked with the JavaScript translation)', () => {
  const r = rng();
  for (const p of PATTERNS) {
    const re = parseRegex(p);
    const js = toJsRegExp(p)!;
    assert.ok(js, p);
    for (let i = 0; i < 50; i++) {
      const s = generate(re, r);
      assert.match(s, js, `${p}: ${JSON.stringify(s)}`);
    }
  }
});

test('with a row index the strings are unique, within the capacity of the pattern', () => {
  const re = parseRegex('^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$');
  assert.ok(capacity(re) >= 1e7);
  const r = rng();
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) seen.add(generate(re, r, i));
  assert.equal(seen.size, 5000);
  assert.equal(capacity(parseRegex('^(draft|sent)$')), 0, 'nothing to carry an index');
  assert.deepEqual(lengthRange(parseRegex('^T-?\\d{3}.?\\d{3}$').root), [7, 9]);
});

test('minimum lengths are met (char(n) columns, where ~ sees the padding)', () => {
  const re = parseRegex('^T-?\\d{3}.?\\d{3}.?\\d{3}[-.]?\\d$');
  const r = rng();
  for (let i = 0; i < 50; i++) assert.equal(generate(re, r, i, 15, 15).length, 15);
});

test('matching keeps a value that fits, bends a single-class one (keeping its unique digits), else generates', () => {
  const r = rng();
  assert.equal(matching(r, 'already_ok_7', '^[a-z0-9_]{1,100}$'), 'already_ok_7');
  assert.equal(matching(r, 'Rock Band 17', '^[a-z0-9_]{1,100}$'), 'rock_band_17');
  assert.equal(matching(r, 'Quite A Long Name 12345', '^[a-z0-9_]{1,10}$'), 'quit_12345');
  assert.match(matching(r, 'x', '^[A-Z]{2}[0-9]{4}$', false, 42), /^[A-Z]{2}[0-9]{4}$/);
  assert.ok(simpleClass(parseRegex('^[a-z]{3,8}$')));
  assert.equal(simpleClass(parseRegex('^a[b-z]+$')), null);
  assert.equal(avoid('x', [/^x$/], [], 'y'), 'y');
  assert.equal(avoid('ok', [/^x$/], ['no'], 'y'), 'ok');
  assert.equal(avoid('no', [], ['no'], 'y'), 'y');
});

test('bounded times and numbers: a value that fits is kept, one outside is drawn inside; unique times spread over the window', () => {
  const r = rng();
  const ref = new Date('2025-01-01T00:00:00Z');
  const lo = Date.UTC(2022, 0, 1);
  const hi = Date.UTC(2022, 6, 31);
  const times = Array.from({ length: 500 }, () => timeIn(r, new Date('2024-06-01T00:00:00Z'), lo, hi, 10 * 86_400_000, 1000, ref).getTime());
  assert.ok(times.every((t) => t >= lo && t <= hi && t % 1000 === 0));
  assert.ok(Math.max(...times) - Math.min(...times) > 150 * 86_400_000, 'spread over the window, not piled on an edge');
  const after = timeIn(r, null, Date.UTC(2024, 11, 30), null, 10 * 86_400_000, 86_400_000, ref, 1).getTime();
  assert.ok(after >= Date.UTC(2024, 11, 30) && after <= ref.getTime() && after % 86_400_000 === 0, 'a day after, not past the reference date');
  const spread = Array.from({ length: 1000 }, (_, i) => spreadTime(i, 1000, lo, hi, 1).getTime());
  assert.equal(new Set(spread).size, 1000);
  assert.ok(spread[999]! - spread[0]! > 200 * 86_400_000);
  assert.equal(numIn(r, 5, 0, 10, 0), 5);
  for (let i = 0; i < 100; i++) {
    const v = numIn(r, 500, 10, 90, 2);
    assert.ok(v >= 10 && v <= 90);
  }
  assert.equal(pickCase(r, [1, 1], [false, true]), 1);
  assert.equal(pickCase(r, [1, 1], [false, false]), -1);
  const counts = [0, 0];
  for (let i = 0; i < 1000; i++) counts[alt(r, [0.2, 0.8])]!++;
  assert.ok(counts[1]! > counts[0]! * 2);
});
