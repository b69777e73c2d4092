import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError, type Values } from '../../../src/index.js';
import { sampleTransform } from '../../../stages/transforms/sample/index.js';
import { table, through } from './helpers.js';

const users = table('users', { id: 'bigint' });
const messages = table('messages', { id: 'bigint', user_id: 'bigint' });
const userRows: Values[] = Array.from({ length: 10_000 }, (_, i) => [i + 1]);

test('keeps about the share asked, the same rows whatever the batching', async () => {
  const t = sampleTransform({ rate: 0.1, seed: 3 });
  const all = (await through(t, users, userRows))!.rows.map((r) => r[0]);
  assert.ok(all.length > 850 && all.length < 1150, `${all.length} of 10,000`);
  const step = t.forTable(users)!;
  const batched: unknown[] = [];
  for (let s = 0; s < userRows.length; s += 333) batched.push(...(await step.apply(userRows.slice(s, s + 333), s)).map((r) => r[0]));
  assert.deepEqual(batched, all);
  const other = (await through(sampleTransform({ rate: 0.1, seed: 4 }), users, userRows))!.rows.map((r) => r[0]);
  assert.notDeepEqual(other, all, 'another seed, other rows');
});

test('a child sampled by its parent key keeps exactly the children of kept parents', async () => {
  const t = sampleTransform({ rate: 0.2, keys: { messages: ['user_id'] } });
  const kept = new Set((await through(t, users, userRows))!.rows.map((r) => r[0]));
  const msgRows: Values[] = Array.from({ length: 5000 }, (_, i) => [i + 1, (i % 10_000) + 1]);
  const msgs = (await through(t, messages, msgRows))!.rows;
  assert.ok(msgs.length > 0);
  assert.ok(msgs.every((m) => kept.has(m[1])));
  assert.equal(msgs.length, msgRows.filter((m) => kept.has(m[1])).length);
});

test('rate 1 leaves tables alone; bad rates and keys are usage errors', () => {
  assert.equal(sampleTransform({ rate: 1 }).forTable(users), null);
  for (const rate of [0, -1, 1.5, NaN]) assert.throws(() => sampleTransform({ rate }), (e) => isSeedpipeError(e) && e.code === 'SAMPLE_RATE_INVALID');
  assert.throws(() => sampleTransform({ rate: 0.5, keys: { users: ['nope'] } }).forTable(users), (e) => isSeedpipeError(e) && e.code === 'SAMPLE_KEY_UNKNOWN');
});
