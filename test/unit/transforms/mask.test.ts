import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError, type Values } from '../../../src/index.js';
import { maskPlan, maskTransform, Pseudonyms } from '../../../stages/transforms/mask/index.js';
import { siphash, sipKey } from '../../../stages/transforms/mask/siphash.js';
import { table, through } from './helpers.js';

const KEY = 'test-key-of-sixteen-plus';
const users = table('users', {
  id: 'bigint', email: 'text', first_name: 'text', name: 'text', phone: 'text', bio: 'varchar(40)', auth0_id: 'text', street: 'text', zip: 'text', plan: 'text', owner_id: 'bigint',
}, { uniques: [['email']], foreignKeys: [{ columns: ['owner_id'], table: 'users', refColumns: ['id'], nullable: true }] });
const row: Values = [1, 'ada.lovelace@math.org', 'Ada', 'Ada Lovelace', '+44 20 7946-0958', 'Counted numbers, wrote the first program.', 'auth0|5f3a9c', '12 Baker Street', 'NW1 6XE', 'pro', 7];

test('heuristics pick personal columns by name and type, never keys', () => {
  const plan = maskPlan({}, [users]).map((p) => `${p.column}=${p.kind}`);
  assert.deepEqual(plan, ['email=email', 'first_name=first_name', 'name=name', 'phone=phone', 'bio=text', 'auth0_id=id', 'street=address', 'zip=postal']);
});

test('formats are kept and no source value survives', async () => {
  const [out] = (await through(maskTransform({ key: KEY }), users, [row]))!.rows;
  const [id, email, first, name, phone, bio, auth0, street, zip, plan, owner] = out!;
  assert.equal(id, 1);
  assert.equal(owner, 7);
  assert.equal(plan, 'pro');
  assert.match(String(email), /^[a-z]+\.[a-z]+\.[0-9a-z]{8}@example\.(com|net|org)$/);
  assert.match(String(first), /^\p{Lu}\p{Ll}+$/u);
  assert.match(String(name), /^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
  assert.match(String(phone), /^\+[1-9]\d \d{2} \d{4}-\d{4}$/);
  assert.equal(String(bio).length, 40, 'cut to varchar(40)');
  assert.match(String(auth0), /^[a-z]{4}\d\|\d[a-z]\d[a-z]\d[a-z]$/);
  assert.match(String(street), /^\d+ \p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u);
  assert.match(String(zip), /^[A-Z]{2}\d \d[A-Z]{2}$/);
  for (const [j, v] of [email, first, name, phone, bio, auth0, street, zip].entries()) assert.notEqual(v, row[j + 1]);
  for (const w of String(row[5]).split(/\W+/).filter((x) => x.length > 3)) assert.ok(!String(bio).toLowerCase().includes(w.toLowerCase()), w);
});

test('deterministic under one key, in every table; another key gives other values', async () => {
  const a = (await through(maskTransform({ key: KEY }), users, [row]))!.rows[0]!;
  const b = (await through(maskTransform({ key: KEY }), users, [row]))!.rows[0]!;
  assert.deepEqual(a, b);
  const c = (await through(maskTransform({ key: `${KEY}-other` }), users, [row]))!.rows[0]!;
  assert.notEqual(a[1], c[1]);
  // A DM channel named after a user gets the same pseudonym as the user's name.
  const dm = (await through(maskTransform({ key: KEY }), table('channels', { id: 'bigint', name: 'text' }), [[9, 'Ada Lovelace']]))!.rows[0]!;
  assert.equal(dm[1], a[3]);
});

test('integer ids masked explicitly are a permutation: distinct stays distinct, digits kept, joins agree', async () => {
  const p = new Pseudonyms(KEY);
  const seen = new Set<number>();
  for (let i = 100; i < 1000; i++) {
    const v = p.integer(i);
    assert.ok(v >= 100 && v < 1000);
    seen.add(v);
  }
  assert.equal(seen.size, 900);
  const t = maskTransform({ key: KEY, columns: { 'users.id': 'id', 'users.owner_id': 'id', email: 'keep' }, auto: false });
  const [out] = (await through(t, users, [[7, 'x@y.z', null, null, null, null, null, null, null, null, 7]]))!.rows;
  assert.equal(out![0], out![10]);
  assert.equal(out![1], 'x@y.z');
});

test('unique emails stay unique; explicit kinds and keep win; bad keys and kinds are usage errors', async () => {
  const rows: Values[] = Array.from({ length: 5000 }, (_, i) => [i + 1, `user${i}@corp.example`, null, null, null, null, null, null, null, null, null]);
  const out = (await through(maskTransform({ key: KEY }), users, rows))!.rows;
  assert.equal(new Set(out.map((r) => r[1])).size, 5000);
  assert.equal(maskTransform({ key: KEY, columns: { 'users.plan': 'text' }, auto: false }).forTable(users) !== null, true);
  assert.equal(maskTransform({ key: KEY, auto: false }).forTable(users), null);
  assert.throws(() => maskTransform({ key: 'short' }), (e) => isSeedpipeError(e) && e.code === 'MASK_KEY_INVALID');
  assert.throws(() => maskTransform({ key: KEY, columns: { 'users.email': 'bogus' as 'email' } }), (e) => isSeedpipeError(e) && e.code === 'MASK_KIND_UNKNOWN');
  assert.throws(() => maskTransform({ key: KEY, columns: { 'users.id': 'email' } }).forTable(users), (e) => isSeedpipeError(e) && e.code === 'MASK_KIND_MISMATCH');
});

test('SipHash-2-4 matches the reference vectors', () => {
  const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));
  const hex = ([h, l]: [number, number]) => h.toString(16).padStart(8, '0') + l.toString(16).padStart(8, '0');
  // From the SipHash paper's reference implementation (vectors.h), as little-endian 64-bit words.
  assert.equal(hex(siphash(key, new Uint8Array(0))), '726fdb47dd0e0e31');
  assert.equal(hex(siphash(key, Uint8Array.from({ length: 15 }, (_, i) => i))), 'a129ca6149be45e5');
  assert.equal(hex(siphash(key, Uint8Array.from({ length: 8 }, (_, i) => i))), '93f5f5799a932462');
});
