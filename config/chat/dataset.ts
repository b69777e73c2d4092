/**
 * chat — a Slack-like chat app, from its seeding checklist: users, channels (30% DMs, each named
 * after its owner + " DM"), memberships, threaded messages and reactions, every timestamp within
 * the reference year. Every rule below holds by construction and is also a `validate` check.
 */
import { defineDataset, DAY, SeedpipeError, type CountContext, type Rng } from '../../src/index.js';
import { permute } from '../shared/permute.js';
import { BIOS, DESCRIPTIONS, FAMILIES, MESSAGES, SUFFIXES, TEAMS, TOPICS } from './text.js';

const REACTIONS: readonly (readonly [string, string])[] = [
  ['thumbs_up', '👍'], ['heart', '❤️'], ['joy', '😂'], ['tada', '🎉'], ['eyes', '👀'], ['rocket', '🚀'],
  ['fire', '🔥'], ['pray', '🙏'], ['clap', '👏'], ['thinking', '🤔'], ['white_check_mark', '✅'], ['wave', '👋'],
];

const slug = (s: string): string => s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '');
const REF = '2025-06-01T00:00:00Z';
/** The checklist: timestamps "within current year", i.e. from January 1 of the reference year to the reference date. */
const YEAR_START = new Date(`${REF.slice(0, 4)}-01-01T00:00:00Z`);

/**
 * Distinct names by construction: user i takes pair permute(i) of first × last names (≈ 1.4 million
 * pairs), so DM channels named after their owner never collide.
 */
function namePair(c: CountContext, i: number): readonly [string, string] {
  const lists = c.memo('chat:names', () => {
    const p = c.faker.definitions.person as { first_name: Record<string, readonly string[]>; last_name: Record<string, readonly string[]> };
    const first = [...new Set([...(p.first_name.female ?? []), ...(p.first_name.male ?? []), ...(p.first_name.generic ?? [])])].sort();
    const last = [...new Set(Object.values(p.last_name).flat())].sort();
    return { first, last };
  });
  const { first, last } = lists;
  const j = permute(i, first.length * last.length, c.seed);
  return [first[j % first.length]!, last[Math.floor(j / first.length)]!];
}

/** Exactly `share` of channels are DMs, spread evenly: channel i is one iff ⌊(i+1)·share⌋ > ⌊i·share⌋. */
const isDm = (i: number, share: number): boolean => Math.floor((i + 1) * share) > Math.floor(i * share);
/** Ordinal of channel i among the DMs (or among the others). */
const dmOrdinal = (i: number, share: number): number => Math.floor(i * share);
const otherOrdinal = (i: number, share: number): number => i - Math.floor(i * share);

/**
 * The owner of a DM: DM k is owned by user k. Users are in no particular order (names and join dates
 * are drawn per row), so this looks random, and it depends on nothing but k: every DM has its own
 * owner, and DMs appended later (`--mode append`) take users no earlier DM took, so "<owner> DM" stays unique.
 */
function dmOwner(i: number, channels: number, share: number, users: number): number {
  const k = dmOrdinal(i, share);
  if (k >= users) {
    const dms = dmOrdinal(channels, share);
    throw new SeedpipeError('DATASET_PARAM_INVALID', `chat has ${dms} DMs (dmShare × channels) but users has ${users} rows, and every DM needs its own owner; raise users.rows or lower dmShare`, { disposition: 'usage', data: { param: 'dmShare' } });
  }
  return k;
}

/** Channel name of the e-th non-DM channel: a bijection into team × topic × suffix, so names are unique. */
function channelName(e: number, salt: number): { name: string; topic: number } {
  const space = TEAMS.length * TOPICS.length * SUFFIXES.length;
  const j = permute(e % space, space, salt);
  const team = TEAMS[j % TEAMS.length]!;
  const topic = Math.floor(j / TEAMS.length) % TOPICS.length;
  const suffix = SUFFIXES[Math.floor(j / (TEAMS.length * TOPICS.length))]!;
  const round = Math.floor(e / space);
  return { name: `${team}-${TOPICS[topic]![0]}${suffix}${round > 0 ? `-${round + 1}` : ''}`, topic };
}

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
  refDate: REF,
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
        first_name: { type: 'text', virtual: true, gen: (c) => namePair(c, c.i)[0] },
        last_name: { type: 'text', virtual: true, gen: (c) => namePair(c, c.i)[1] },
        email: { type: 'text', unique: true, gen: (c) => `${slug(c.row.first_name)}.${slug(c.row.last_name)}${c.i + 1}@example.com` },
        name: { type: 'text', gen: (c) => `${c.row.first_name} ${c.row.last_name}` },
        picture: { type: 'text', gen: (c) => `https://avatars.example.com/u/${c.i + 1}.png` },
        bio: { type: 'varchar(200)', nullable: true, check: 'char_length(bio) <= 200', gen: (c) => (c.rng.chance(0.25) ? null : c.text.clip(c.text.say(BIOS), 200)) },
        is_active: { type: 'boolean', gen: (c) => c.rng.chance(0.92) },
        created_at: { type: 'timestamptz', gen: (c) => c.t.recent(YEAR_START, c.t.ago(7), 1.5) },
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
        dm: { type: 'boolean', virtual: true, gen: (c) => isDm(c.i, c.params.dmShare) },
        owner: { type: 'bigint', virtual: true, gen: (c) => (c.row.dm ? dmOwner(c.i, c.n, c.params.dmShare, c.count('users')) : c.refIndex('users', { dist: 'zipf' })) },
        // A channel's name and topic (index into TOPICS); null for DMs.
        label: { type: 'text', virtual: true, nullable: true, gen: (c) => (c.row.dm ? null : channelName(otherOrdinal(c.i, c.params.dmShare), c.seed).name) },
        topic: { type: 'int', virtual: true, nullable: true, gen: (c) => (c.row.dm ? null : channelName(otherOrdinal(c.i, c.params.dmShare), c.seed).topic) },
        family: { type: { enum: FAMILIES }, virtual: true, gen: (c) => (c.row.topic === null ? 'dm' : TOPICS[c.row.topic]![1]) },
        name: { type: 'text', unique: true, gen: (c) => c.row.label ?? `${c.lookup('users', c.row.owner).name} DM` },
        description: {
          type: 'text',
          nullable: true,
          gen: (c) => {
            const { label, topic } = c.row;
            if (label === null || topic === null) return null;
            return c.text.say(DESCRIPTIONS, { team: label.slice(0, label.indexOf('-')), topic: TOPICS[topic]![0].replace('-', ' ') });
          },
        },
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
        content: { type: 'text', gen: (c) => c.text.say(MESSAGES[c.parent.family], undefined, c.row.parent_id === null ? 'start' : 'reply') },
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
    {
      name: 'dm_named_owner_dm',
      sql: `SELECT c.id FROM channels c JOIN users u ON u.id = c.owner_id WHERE c.is_dm AND c.name <> u.name || ' DM'`,
      description: 'A DM channel is named after its owner + " DM" (the checklist).',
    },
    { name: 'channel_names_unique', sql: `SELECT name FROM channels GROUP BY name HAVING count(*) > 1` },
    {
      name: 'timestamps_within_reference_year',
      sql: ['users.created_at', 'channels.created_at', 'user_channels.joined_at', 'messages.created_at', 'messages.updated_at', 'message_reactions.created_at']
        .map((col) => { const [t, cname] = col.split('.'); return `SELECT '${col}' AS col FROM ${t} WHERE ${cname} < TIMESTAMPTZ '${YEAR_START.toISOString()}' OR ${cname} > TIMESTAMPTZ '${REF}'`; })
        .join(' UNION ALL '),
      description: 'Every timestamp falls within the reference year, up to the reference date (the checklist: "within current year").',
    },
  ],
});

