/**
 * The tapflow dataset: the plan of each profile, then one light CSV run read back with csv-parse:
 * exact tier counts, per-tier child counts, id ranges, parents that exist, events inside their
 * device's or user's lifetime, and daily/weekly seasonality of the event streams.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildRunInfo, loadDataset, makePlan, type DatasetDef, type Plan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { CsvSink } from '../../../stages/sinks/csv/index.js';

type Rec = Record<string, string>;

const TABLES = ['accounts', 'locations', 'devices', 'users', 'subscriptions', 'tap_events', 'page_views', 'feature_usage'];
// The runbook's reserved ranges: every entity its own sequence from 1.
const RANGES: Record<string, [number, number]> = {
  accounts: [1, 1_000],
  locations: [1, 1_000],
  subscriptions: [1, 200],
  devices: [1, 30_000],
  users: [1, 6_000],
};
const TIER_LIMITS: Record<string, { locations: [number, number]; devices: [number, number]; users: [number, number] }> = {
  small: { locations: [1, 2], devices: [5, 10], users: [2, 5] },
  medium: { locations: [3, 10], devices: [10, 20], users: [5, 20] },
  large: { locations: [10, 50], devices: [20, 50], users: [20, 100] },
  enterprise: { locations: [50, 100], devices: [30, 100], users: [100, 500] },
};
const REF = Date.parse('2025-06-25T00:00:00Z');
const START = Date.parse('2020-01-01T00:00:00Z');

let def: DatasetDef;
let plan: Plan;
let dir: string;
const csv: Record<string, Rec[]> = {};

const groupCount = (rows: Rec[], key: string): Map<string, number> => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r[key]!, (m.get(r[key]!) ?? 0) + 1);
  return m;
};
const within = (n: number, [lo, hi]: [number, number]): boolean => n >= lo && n <= hi;

before(async () => {
  def = (await loadDataset('tapflow')).def;
  plan = makePlan(def, { profile: 'light' });
  dir = await mkdtemp(join(tmpdir(), 'seedpipe-tapflow-'));
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [new CsvSink({ dir })] });
  for (const t of TABLES) csv[t] = parse(await readFile(join(dir, `${t}.csv`)), { columns: true }) as Rec[];
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tapflow plan', () => {
  test('light has the expected tables, 150 accounts and about 50k tap events', () => {
    const total = Object.fromEntries(plan.tables.map((t) => [t.name, t.total]));
    assert.deepEqual(Object.keys(total).sort(), [...TABLES].sort());
    assert.equal(total.accounts, 150);
    assert.ok(within(total.locations!, [650, 1_000]), `${total.locations} locations`);
    assert.ok(within(total.devices!, [20_000, 30_000]), `${total.devices} devices`);
    assert.ok(within(total.subscriptions!, [170, 190]), `${total.subscriptions} subscriptions`);
    assert.ok(within(total.tap_events!, [30_000, 80_000]), `${total.tap_events} tap events`);
  });

  test('known logins are a parameter: other addresses and a password verify, bad entries are refused', async () => {
    const { verifyPassword } = await import('../../../config/shared/password.js');
    const { World } = await import('../../../src/generate/world.js');
    const custom = makePlan(def, { profile: 'light', set: ['logins=Ana Silva <ana@acme.test>, ops@acme.test, third@acme.test', 'loginPassword=S3cret!'] });
    const world = new World(custom.resolved);
    const users = world.table('users');
    assert.deepEqual([0, 1, 2].map((i) => [users.rowAt(i).email, users.rowAt(i).full_name]), [['ana@acme.test', 'Ana Silva'], ['ops@acme.test', 'Ops'], ['third@acme.test', 'Third']]);
    assert.ok(verifyPassword('S3cret!', users.rowAt(1).password_hash as string));
    assert.match(users.rowAt(3).password_hash as string, /^![A-Za-z0-9]{40}$/);
    assert.throws(() => new World(makePlan(def, { profile: 'light', set: ['logins=not-an-email'] }).resolved).table('users').rowAt(0).email, /logins: "not-an-email" is not an email/);
  });

  test('entities are the same in every profile; heavy has at least 10M tap events', () => {
    const light = Object.fromEntries(plan.tables.map((t) => [t.name, t.total]));
    const heavy = Object.fromEntries(makePlan(def, { profile: 'heavy' }).tables.map((t) => [t.name, t.total]));
    for (const t of ['accounts', 'locations', 'devices', 'users', 'subscriptions']) assert.equal(heavy[t], light[t], t);
    assert.ok(heavy.tap_events! >= 10_000_000, `${heavy.tap_events} heavy tap events`);
    const medium = Object.fromEntries(makePlan(def, { profile: 'medium' }).tables.map((t) => [t.name, t.total]));
    assert.ok(medium.tap_events! > light.tap_events! && medium.tap_events! < heavy.tap_events!);
  });
});

describe('tapflow data (light)', () => {
  test('tier counts are exact: 105 small, 30 medium, 12 large, 3 enterprise', () => {
    assert.deepEqual(Object.fromEntries(groupCount(csv.accounts!, 'tier')), { small: 105, medium: 30, large: 12, enterprise: 3 });
  });

  test('tiers are spread over the id range, not in blocks', () => {
    const firstEnterprise = csv.accounts!.filter((a) => a.tier === 'enterprise').map((a) => Number(a.id));
    assert.ok(Math.max(...firstEnterprise) - Math.min(...firstEnterprise) > 20, `enterprise ids ${firstEnterprise.join(', ')}`);
  });

  test('locations, devices and users per parent stay within their tier ranges', () => {
    const tier = new Map(csv.accounts!.map((a) => [a.id!, a.tier!]));
    const locations = groupCount(csv.locations!, 'account_id');
    const users = groupCount(csv.users!, 'account_id');
    for (const a of csv.accounts!) {
      const lim = TIER_LIMITS[a.tier!]!;
      assert.ok(within(locations.get(a.id!) ?? 0, lim.locations), `account ${a.id} (${a.tier}): ${locations.get(a.id!)} locations`);
      assert.ok(within(users.get(a.id!) ?? 0, lim.users), `account ${a.id} (${a.tier}): ${users.get(a.id!)} users`);
    }
    const devices = groupCount(csv.devices!, 'location_id');
    for (const l of csv.locations!) {
      const lim = TIER_LIMITS[tier.get(l.account_id!)!]!;
      assert.ok(within(devices.get(l.id!) ?? 0, lim.devices), `location ${l.id}: ${devices.get(l.id!)} devices`);
    }
  });

  test('ids are sequential inside each entity range', () => {
    for (const [t, [lo, hi]] of Object.entries(RANGES)) {
      const ids = csv[t]!.map((r) => Number(r.id));
      ids.forEach((id, j) => assert.equal(id, lo + j, `${t} row ${j}`));
      assert.ok(ids[ids.length - 1]! <= hi, `${t}: last id ${ids[ids.length - 1]} ≤ ${hi}`);
    }
  });

  test('every device location exists and belongs to the device account; subscriptions license a device of their account', () => {
    const locationAccount = new Map(csv.locations!.map((l) => [l.id!, l.account_id!]));
    for (const d of csv.devices!) assert.equal(locationAccount.get(d.location_id!), d.account_id, `device ${d.id}`);
    const deviceAccount = new Map(csv.devices!.map((d) => [d.id!, d.account_id!]));
    for (const s of csv.subscriptions!) assert.equal(deviceAccount.get(s.device_id!), s.account_id, `subscription ${s.id}`);
    const active = groupCount(csv.subscriptions!.filter((s) => s.status === 'active'), 'account_id');
    assert.equal(active.size, 150);
    assert.ok([...active.values()].every((n) => n === 1));
  });

  test('subscriptions sit on installed, live terminals: started on/after install, none retired, none ended before its device existed', () => {
    const devices = new Map(csv.devices!.map((d) => [d.id!, d]));
    let ended = 0;
    for (const s of csv.subscriptions!) {
      const d = devices.get(s.device_id!)!;
      assert.ok(Date.parse(s.started_at!) >= Date.parse(d.installed_at!), `subscription ${s.id} starts after its device is installed`);
      assert.equal(d.retired_at, '', `subscription ${s.id} is licensed to retired device ${d.id}`);
      if (s.ended_at) {
        ended++;
        assert.ok(Date.parse(d.installed_at!) <= Date.parse(s.ended_at), `ended subscription ${s.id}`);
        assert.ok(Date.parse(s.ended_at) > Date.parse(s.started_at!));
      }
    }
    assert.equal(ended, 30);
  });

  test('known logins: the default accounts are on example.com, first in account 1, and never exported with a password', () => {
    const first = csv.users!.filter((u) => u.account_id === '1').slice(0, 2);
    assert.deepEqual(first.map((u) => [u.email, u.full_name, u.role]), [['owner@example.com', 'Morgan Reyes', 'owner'], ['analyst@example.com', 'Alex Chen', 'admin']]);
    assert.ok(!('password_hash' in csv.users![0]!));
    assert.ok(csv.users!.every((u) => u.email!.endsWith('@example.com')));
  });

  test('events fall inside their device or user lifetime and the 2020-01-01 – 2025-06-25 range', () => {
    const devices = new Map(csv.devices!.map((d) => [d.id!, d]));
    for (const e of csv.tap_events!) {
      const d = devices.get(e.device_id!)!;
      const t = Date.parse(e.tapped_at!);
      assert.ok(t >= Date.parse(d.installed_at!) && t < (d.retired_at ? Date.parse(d.retired_at) : REF), `tap ${e.id}`);
      assert.equal(e.location_id, d.location_id);
    }
    const users = new Map(csv.users!.map((u) => [u.id!, u]));
    for (const v of csv.page_views!) {
      const t = Date.parse(v.viewed_at!);
      assert.ok(t >= Date.parse(users.get(v.user_id!)!.signed_up_at!) && t < REF, `page view ${v.id}`);
    }
    for (const f of csv.feature_usage!) {
      const t = Date.parse(f.used_at!);
      assert.ok(t >= Date.parse(users.get(f.user_id!)!.signed_up_at!) && t < REF, `feature use ${f.id}`);
      if (f.device_id) {
        const d = devices.get(f.device_id)!;
        assert.equal(d.account_id, f.account_id);
        assert.ok(t >= Date.parse(d.installed_at!), `feature use ${f.id} after install`);
      }
    }
    for (const a of csv.accounts!) assert.ok(Date.parse(a.created_at!) >= START);
  });

  test('taps have daily and weekly seasonality; page views happen on weekdays', () => {
    const hours = new Array<number>(24).fill(0);
    const days = new Array<number>(7).fill(0);
    for (const e of csv.tap_events!) {
      const d = new Date(e.tapped_at!);
      hours[d.getUTCHours()]!++;
      days[d.getUTCDay()]!++;
    }
    const noon = hours[12]! + hours[18]!;
    const night = hours[2]! + hours[3]!;
    assert.ok(noon > 10 * night, `taps at 12h+18h ${noon} vs 2h+3h ${night}`);
    assert.ok(days[6]! > 1.2 * days[1]!, `Saturday ${days[6]} vs Monday ${days[1]}`);
    const pv = new Array<number>(7).fill(0);
    for (const v of csv.page_views!) pv[new Date(v.viewed_at!).getUTCDay()]!++;
    assert.ok(pv[3]! > 2 * pv[0]!, `page views Wednesday ${pv[3]} vs Sunday ${pv[0]}`);
  });
});
