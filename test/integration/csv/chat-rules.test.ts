/**
 * The chat dataset at its medium profile (≈1M messages), generated with workers into CSV and read
 * back: every foreign key, unique and chat rule, and the percentages within tolerance.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, makePlan, buildRunInfo } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { CsvSink } from '../../../stages/sinks/csv/index.js';
import { csvRecords } from '../../support/csv.js';
import { World } from '../../../src/generate/world.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seedpipe-chat-'));
  const { def, path } = await loadDataset('chat');
  const plan = makePlan(def, { profile: 'medium' });
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [new CsvSink({ dir })], workers: 2, worker: { modulePath: path, planOptions: { profile: 'medium' } } });
});
after(async () => rm(dir, { recursive: true, force: true }));

async function* rows(table: string): AsyncGenerator<string[]> {
  let first = true;
  for await (const r of csvRecords(join(dir, `${table}.csv`))) {
    if (first) {
      first = false;
      continue;
    }
    yield r;
  }
}

const within = (x: number, target: number, tol: number, what: string) => assert.ok(Math.abs(x - target) <= tol, `${what}: ${x.toFixed(3)} not within ${target}±${tol}`);

// The checklist: every timestamp "within current year" (January 1 of the reference year to the reference date).
const YEAR_START = Date.parse('2025-01-01T00:00:00Z');
const REF = Date.parse('2025-06-01T00:00:00Z');
const inYear = (t: number, what: string) => assert.ok(t >= YEAR_START && t <= REF, `${what} ${new Date(t).toISOString()} is within the reference year`);
/** Sentences of a message: terminal punctuation followed by a space or the end (a URL's dots are not). */
const sentencesOf = (s: string): number => (s.match(/[.!?](?=\s|$)/g) ?? []).length || 1;

test('chat rules, keys and distributions hold at the medium profile', async () => {
  // users(id, auth0_id, email, name, picture, bio, is_active, created_at)
  const userCreated = new Map<number, number>();
  const userName = new Map<number, string>();
  const emails = new Set<string>();
  const auth0 = new Set<string>();
  const names = new Set<string>();
  for await (const u of rows('users')) {
    const id = Number(u[0]);
    assert.match(u[1]!, /^auth0\|[0-9a-f-]{36}$/);
    assert.ok(!emails.has(u[2]!) && !auth0.has(u[1]!), `unique email/auth0_id ${u[2]}`);
    emails.add(u[2]!);
    auth0.add(u[1]!);
    assert.ok(u[5]!.length <= 200, 'bio ≤ 200');
    userCreated.set(id, Date.parse(u[7]!));
    inYear(Date.parse(u[7]!), `user ${id} created`);
    assert.ok(!names.has(u[3]!), `user names are distinct (${u[3]})`);
    names.add(u[3]!);
    userName.set(id, u[3]!);
  }
  assert.equal(userCreated.size, 10_000);
  const reactionIds = new Set<number>();
  const codes = new Set<string>();
  for await (const r of rows('reactions')) {
    reactionIds.add(Number(r[0]));
    assert.ok(!codes.has(r[1]!));
    codes.add(r[1]!);
  }
  // channels(id, name, description, owner_id, is_private, is_dm, join_code, created_at)
  const channels = new Map<number, { owner: number; dm: boolean; created: number }>();
  let dms = 0;
  let privateOthers = 0;
  const joinCodes = new Set<string>();
  const channelNames = new Set<string>();
  for await (const c of rows('channels')) {
    const [id, name, description, owner, isPrivate, isDm, joinCode, created] = c as [string, string, string, string, string, string, string, string];
    assert.ok(userCreated.has(Number(owner)), 'owner exists');
    assert.ok(!channelNames.has(name), `no duplicate channel names (${name})`);
    channelNames.add(name);
    inYear(Date.parse(created), `channel ${id} created`);
    const dm = isDm === 'true';
    if (dm) {
      dms++;
      assert.equal(isPrivate, 'true');
      assert.equal(description, '');
      assert.equal(joinCode, '');
      assert.equal(name, `${userName.get(Number(owner))} DM`, 'a DM is named after its owner + " DM"');
    } else if (isPrivate === 'true') {
      privateOthers++;
      assert.ok(joinCode.length > 0 && !joinCodes.has(joinCode), 'private channels have a unique join code');
      joinCodes.add(joinCode);
    } else assert.equal(joinCode, '');
    assert.ok(Date.parse(created) >= userCreated.get(Number(owner))!, 'channel after its owner');
    channels.set(Number(id), { owner: Number(owner), dm, created: Date.parse(created) });
  }
  within(dms / channels.size, 0.3, 0.05, 'DM share');
  within(privateOthers / (channels.size - dms), 0.4, 0.06, 'private share of non-DMs');
  // user_channels(user_id, channel_id, joined_at): DMs exactly 2, owner first.
  const members = new Map<number, Map<number, number>>();
  let lastChannel = -1;
  for await (const m of rows('user_channels')) {
    const [user, channel, joined] = [Number(m[0]), Number(m[1]), Date.parse(m[2]!)];
    const ch = channels.get(channel);
    assert.ok(ch && userCreated.has(user), 'membership keys exist');
    let ms = members.get(channel);
    if (!ms) members.set(channel, (ms = new Map()));
    assert.ok(!ms.has(user), 'distinct members');
    if (channel !== lastChannel) assert.equal(user, ch.owner, 'owner is the first member');
    inYear(joined, 'joined_at');
    lastChannel = channel;
    ms.set(user, joined);
  }
  for (const [id, ch] of channels) {
    const n = members.get(id)?.size ?? 0;
    if (ch.dm) assert.equal(n, 2, `DM ${id} has two members`);
    else assert.ok(n >= 2, `channel ${id} has the owner and at least one other member`);
  }
  // messages(id, channel_id, user_id, parent_id, content, created_at, updated_at)
  const msgChannel = new Int32Array(3_000_000);
  const msgCreated = new Float64Array(3_000_000);
  let messages = 0;
  let replies = 0;
  let sentences = 0;
  for await (const m of rows('messages')) {
    const [id, channel, user, parent, content, created, updated] = [Number(m[0]), Number(m[1]), Number(m[2]), m[3]!, m[4]!, Date.parse(m[5]!), Date.parse(m[6]!)];
    messages++;
    assert.equal(id, messages, 'ids are 1..n in order');
    const joined = members.get(channel)?.get(user);
    assert.ok(joined !== undefined && joined <= created, `message ${id} by a member after joining`);
    assert.ok(created <= updated, 'created ≤ updated');
    inYear(created, `message ${id}`);
    inYear(updated, `message ${id} updated`);
    if (parent) {
      replies++;
      const p = Number(parent);
      assert.ok(p < id && msgChannel[p] === channel && msgCreated[p]! <= created, `reply ${id} to an earlier message of its channel`);
    }
    if (sentencesOf(content) === 1) sentences++;
    msgChannel[id] = channel;
    msgCreated[id] = created;
  }
  assert.ok(messages > 800_000 && messages < 1_300_000, `≈1M messages (${messages})`);
  within(sentences / messages, 0.6, 0.02, 'one-sentence share');
  within(replies / messages, 0.2, 0.02, 'reply share');
  // message_reactions(message_id, reaction_id, user_id, created_at)
  const triples = new Set<number>();
  const reacted = new Set<number>();
  let perMessage = 0;
  let last = -1;
  let maxPer = 0;
  for await (const r of rows('message_reactions')) {
    const [msg, reaction, user, created] = [Number(r[0]), Number(r[1]), Number(r[2]), Date.parse(r[3]!)];
    assert.ok(msg >= 1 && msg <= messages && reactionIds.has(reaction) && userCreated.has(user), 'reaction keys exist');
    assert.ok(members.get(msgChannel[msg]!)!.has(user), 'reacted by a channel member');
    assert.ok(created >= msgCreated[msg]!, 'reaction after the message');
    inYear(created, 'reaction');
    const key = (msg * 16 + reaction) * 200_000 + user;
    assert.ok(!triples.has(key), 'no duplicate (message, user, reaction)');
    triples.add(key);
    reacted.add(msg);
    perMessage = msg === last ? perMessage + 1 : 1;
    maxPer = Math.max(maxPer, perMessage);
    last = msg;
  }
  within(reacted.size / messages, 0.4, 0.02, 'share of messages with reactions');
  assert.ok(maxPer <= 3, '1–3 reactions per message');
});

test('more DMs than users is refused with what to change (every DM needs its own owner)', async () => {
  const { def } = await loadDataset('chat');
  const plan = makePlan(def, { profile: 'light', set: ['users.rows=20'] });
  const channels = new World(plan.resolved).table('channels');
  assert.throws(() => { for (let i = 0; i < 100; i++) void channels.rowAt(i).name; }, /chat has 30 DMs .* but users has 20 rows.*raise users\.rows or lower dmShare/);
});
