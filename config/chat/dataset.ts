/**
 * chat — a Slack-like chat app: users, channels (30% DMs), memberships, threaded messages and
 * reactions. Every rule below holds by construction and is also a `validate` check.
 */
import { defineDataset, DAY, type Rng } from '../../src/index.js';

const REACTIONS: readonly (readonly [string, string])[] = [
  ['thumbs_up', '👍'], ['heart', '❤️'], ['joy', '😂'], ['tada', '🎉'], ['eyes', '👀'], ['rocket', '🚀'],
  ['fire', '🔥'], ['pray', '🙏'], ['clap', '👏'], ['thinking', '🤔'], ['white_check_mark', '✅'], ['wave', '👋'],
];

const slug = (s: string): string => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');
const START = new Date('2022-01-01T00:00:00Z');

/** A channel membership as generators read it (a row of user_channels). */
interface Member {
  readonly user_id: number;
  readonly joined_at: Date;
}

/** A channel's members sorted by join time; cached per member list (recomputed groups are cached too). */
const byJoin = new WeakMap<readonly Member[], { times: Float64Array; users: number[] }>();
function sortedMembers(group: readonly Member[]): { times: Float64Array; users: number[] } {
  let s = byJoin.get(group);
  if (!s) {
    const sorted = group.map((m) => [m.joined_at.getTime(), m.user_id] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    s = { times: Float64Array.from(sorted, (x) => x[0]), users: sorted.map((x) => x[1]) };
    byJoin.set(group, s);
  }
  return s;
}

/** A member of `group` who had joined by time `t` (the owner joins first, when the channel is created). */
function memberAt(rng: Rng, group: readonly Member[], t: number): number {
  const { times, users } = sortedMembers(group);
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return users[rng.int(0, Math.max(0, lo - 1))]!;
}

export default defineDataset({
  name: 'chat',
  description: 'Users, channels and DMs, memberships, threaded messages and reactions of a team chat app.',
  seed: 42,
  refDate: '2025-06-01T00:00:00Z',
  params: { messagesPerChannel: 1000, maxMembers: 40, dmShare: 0.3 },
  profiles: {
    light: { rows: { users: 1_000, channels: 100 }, params: { messagesPerChannel: 200, maxMembers: 20 } },
    medium: { rows: { users: 10_000, channels: 1_000 }, params: { messagesPerChannel: 1_000 } },
    heavy: { rows: { users: 100_000, channels: 10_000 }, params: { messagesPerChannel: 1_000 } },
  },
  tables: {
    users: {
      rows: 10_000,
      columns: {
        id: { type: 'bigint' },
        auth0_id: { type: 'text', unique: true, gen: (c) => `auth0|${c.faker.string.uuid()}` },
        first_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.firstName() },
        last_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.lastName() },
        email: { type: 'text', unique: true, gen: (c) => `${slug(c.row.first_name)}.${slug(c.row.last_name)}${c.i + 1}@example.com` },
        name: { type: 'text', gen: (c) => `${c.row.first_name} ${c.row.last_name}` },
        picture: { type: 'text', gen: (c) => `https://avatars.example.com/u/${c.i + 1}.png` },
        bio: { type: 'varchar(200)', nullable: true, check: 'char_length(bio) <= 200', gen: (c) => (c.rng.chance(0.25) ? null : c.text.clip(c.faker.person.bio() + ' ' + c.text.sentence(), 200)) },
        is_active: { type: 'boolean', gen: (c) => c.rng.chance(0.92) },
        created_at: { type: 'timestamptz', gen: (c) => c.t.recent(START, c.t.ago(7), 1.5) },
      },
    },
    reactions: {
      rows: REACTIONS.length,
      fixed: REACTIONS.map(([code, emoji]) => ({ code, emoji })),
      columns: {
        id: { type: 'bigint' },
        code: { type: 'text', unique: true, gen: (c) => `reaction_${c.i}` },
        emoji: { type: 'text', gen: () => '🙂' },
      },
    },
    channels: {
      rows: 1_000,
      checks: ['NOT is_dm OR (is_private AND description IS NULL AND join_code IS NULL)'],
      columns: {
        id: { type: 'bigint' },
        dm: { type: 'boolean', virtual: true, gen: (c) => c.rng.chance(c.params.dmShare) },
        owner: { type: 'bigint', virtual: true, gen: (c) => c.refIndex('users', { dist: 'zipf' }) },
        name: {
          type: 'text',
          gen: (c) => (c.row.dm ? c.lookup('users', c.row.owner).name : `${c.faker.word.adjective()}-${c.faker.word.noun()}-${c.i + 1}`),
        },
        description: { type: 'text', nullable: true, gen: (c) => (c.row.dm ? null : c.text.sentence(5, 14)) },
        owner_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', c.row.owner) },
        is_private: { type: 'boolean', gen: (c) => (c.row.dm ? true : c.rng.chance(0.4)) },
        is_dm: { type: 'boolean', gen: (c) => c.row.dm },
        join_code: {
          type: 'text',
          nullable: true,
          unique: true,
          gen: (c) => (c.row.is_private && !c.row.is_dm ? `${c.faker.string.alphanumeric({ length: 4, casing: 'lower' })}${(c.i + 1).toString(36)}` : null),
        },
        created_at: { type: 'timestamptz', gen: (c) => c.t.after(c.lookup('users', c.row.owner).created_at, 120 * DAY) },
      },
      embed: {
        text: (r) => `${r.name}${r.description ? `: ${r.description}` : ''}`,
        metadata: (r) => ({ name: r.name, is_dm: r.is_dm, is_private: r.is_private }),
      },
    },
    user_channels: {
      junction: {
        parent: 'channels',
        target: 'users',
        count: (c) => (c.parent.is_dm ? 2 : 1 + c.rng.int(1, c.params.maxMembers)),
        first: (c) => [c.parent.owner_id - 1],
      },
      primaryKey: ['user_id', 'channel_id'],
      columns: {
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.key('users', c.partner) },
        channel_id: { type: 'bigint', references: 'channels', gen: (c) => c.parentIndex + 1 },
        joined_at: {
          type: 'timestamptz',
          gen: (c) => {
            const created = c.parent.created_at;
            if (c.k === 0) return created;
            const userCreated = c.lookup('users', c.partner).created_at;
            return c.t.after(userCreated > created ? userCreated : created, 90 * DAY, 1000);
          },
        },
      },
    },
    messages: {
      per: {
        parent: 'channels',
        // Skewed activity (log-normal, mean = messagesPerChannel): a few busy channels, many quiet ones.
        count: (c) => Math.round(c.rng.lognormal(Math.log(c.params.messagesPerChannel) - 0.5, 1)),
      },
      checks: ['created_at <= updated_at'],
      columns: {
        id: { type: 'bigint' },
        // Spread over the channel's life with jitter: increasing within a channel by construction.
        ts: {
          type: 'bigint',
          virtual: true,
          gen: (c) => {
            const from = c.parent.created_at.getTime();
            const span = Math.max(0, c.refDate.getTime() - from);
            return from + Math.floor((span * (c.k + c.rng.float())) / c.n);
          },
        },
        channel_id: { type: 'bigint', references: 'channels', gen: (c) => c.parentIndex + 1 },
        user_id: { type: 'bigint', references: 'users', gen: (c) => memberAt(c.rng, c.children('user_channels', c.parentIndex), c.row.ts) },
        parent_id: {
          type: 'bigint',
          nullable: true,
          references: 'messages',
          gen: (c) => (c.k > 0 && c.rng.chance(0.2) ? c.i - c.k + c.rng.int(0, c.k - 1) + 1 : null),
        },
        content: { type: 'text', gen: (c) => (c.rng.chance(0.6) ? c.text.sentence(3, 12) : c.text.paragraph(2, 3, 3, 9)) },
        created_at: { type: 'timestamptz', gen: (c) => new Date(c.row.ts) },
        updated_at: { type: 'timestamptz', gen: (c) => (c.rng.chance(0.15) ? c.t.after(c.row.ts, 2 * DAY) : c.row.created_at) },
      },
      embed: {
        text: (r) => r.content,
        metadata: (r) => ({ channel_id: r.channel_id, user_id: r.user_id, created_at: r.created_at.toISOString() }),
      },
    },
    message_reactions: {
      per: { parent: 'messages', count: (c) => (c.rng.chance(0.4) ? c.rng.int(1, 3) : 0) },
      primaryKey: ['message_id', 'user_id', 'reaction_id'],
      columns: {
        message_id: { type: 'bigint', references: 'messages', gen: (c) => c.parentIndex + 1 },
        // Distinct reactions within a message: a per-message rotation of the catalog.
        reaction_id: {
          type: 'bigint',
          references: 'reactions',
          gen: (c) => ((Math.imul(c.parentIndex + 1, 2654435761) >>> 0) + c.k) % c.count('reactions') + 1,
        },
        at: { type: 'bigint', virtual: true, gen: (c) => c.t.after(c.parent.ts, 3 * DAY).getTime() },
        user_id: { type: 'bigint', references: 'users', gen: (c) => memberAt(c.rng, c.children('user_channels', c.parent.channel_id - 1), c.row.at) },
        created_at: { type: 'timestamptz', gen: (c) => new Date(c.row.at) },
      },
    },
  },
  checks: [
    { name: 'dm_has_exactly_two_members', sql: `SELECT c.id FROM channels c LEFT JOIN user_channels uc ON uc.channel_id = c.id WHERE c.is_dm GROUP BY c.id HAVING count(uc.user_id) <> 2` },
    { name: 'dm_is_private_without_description_or_code', sql: `SELECT id FROM channels WHERE is_dm AND (NOT is_private OR description IS NOT NULL OR join_code IS NOT NULL)` },
    { name: 'private_channel_has_join_code', sql: `SELECT id FROM channels WHERE is_private AND NOT is_dm AND join_code IS NULL` },
    { name: 'owner_is_member', sql: `SELECT c.id FROM channels c WHERE NOT EXISTS (SELECT 1 FROM user_channels uc WHERE uc.channel_id = c.id AND uc.user_id = c.owner_id)` },
    { name: 'message_author_is_member_after_joining', sql: `SELECT m.id FROM messages m WHERE NOT EXISTS (SELECT 1 FROM user_channels uc WHERE uc.channel_id = m.channel_id AND uc.user_id = m.user_id AND uc.joined_at <= m.created_at)` },
    { name: 'reply_is_to_earlier_message_of_same_channel', sql: `SELECT m.id FROM messages m JOIN messages p ON p.id = m.parent_id WHERE p.channel_id <> m.channel_id OR p.created_at > m.created_at OR p.id >= m.id` },
    { name: 'message_created_before_updated', sql: `SELECT id FROM messages WHERE created_at > updated_at` },
    { name: 'reaction_by_channel_member', sql: `SELECT r.message_id FROM message_reactions r JOIN messages m ON m.id = r.message_id WHERE NOT EXISTS (SELECT 1 FROM user_channels uc WHERE uc.channel_id = m.channel_id AND uc.user_id = r.user_id)` },
    { name: 'reaction_after_message', sql: `SELECT r.message_id FROM message_reactions r JOIN messages m ON m.id = r.message_id WHERE r.created_at < m.created_at` },
    { name: 'bio_at_most_200_chars', sql: `SELECT id FROM users WHERE char_length(bio) > 200` },
  ],
});

