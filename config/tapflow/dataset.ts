/**
 * tapflow — device analytics for a contactless tap-terminal company: 150 customer accounts in four
 * tiers with exact counts, their locations, devices, users and subscriptions (ids in the runbook's
 * ranges per entity), and three event streams (taps, page views, feature usage) with daily, weekly
 * and yearly seasonality, each event inside its device's or user's lifetime. Every rule below holds
 * by construction and is also a `validate` check (checks.ts).
 */
import { defineDataset, jsonb, DAY, MINUTE } from '../../src/index.js';
import { tapflowChecks } from './checks.js';
import {
  FEATURES, MODEL_CODE, MODELS, OFFICE_SEASON, PAGES, PLAN_BELOW, PRICE_PER_DEVICE, REF, REF_MS, ROLE_ACTIVITY, START_MS, TAP_KINDS, TAP_OUTCOMES, TAP_SEASON,
  TIER_ORDER, TIERS, TIMEZONES, YEAR, at, deviceEnd, devicesOf, events, featureUse, licensedDevice, lowSkew, ms, passwordOf, rankOf, slug, tierOf, upgradeAt, type Use,
} from './model.js';
import { parseLogins, type Login } from '../shared/logins.js';

export { ID_RANGES, TIERS } from './model.js';

export default defineDataset({
  name: 'tapflow',
  description: 'Tap-terminal analytics: accounts in four tiers, locations, devices, users, subscriptions, and tap, page-view and feature-usage event streams.',
  seed: 42,
  refDate: REF,
  params: {
    tapsPerDeviceYear: 20,
    pageViewsPerUserYear: 60,
    featureUsesPerUserYear: 25,
    /** Known dashboard logins of account 1 (`Name <email>` or emails, comma-separated); the first is its owner. */
    logins: 'Morgan Reyes <owner@example.com>, Alex Chen <analyst@example.com>',
    /** Their password (PBKDF2-SHA256 in Django's format; never exported). */
    loginPassword: 'Pass123',
  },
  profiles: {
    light: { params: { tapsPerDeviceYear: 0.8, pageViewsPerUserYear: 4, featureUsesPerUserYear: 2 } },
    medium: { params: { tapsPerDeviceYear: 20, pageViewsPerUserYear: 60, featureUsesPerUserYear: 25 } },
    heavy: { params: { tapsPerDeviceYear: 180, pageViewsPerUserYear: 400, featureUsesPerUserYear: 150 } },
  },
  tables: {
    accounts: {
      rows: 150,
      description: 'Customer accounts; tiers by a deterministic shuffle: 70% small, 20% medium, 8% large, 2% enterprise, exactly.',
      columns: {
        id: { type: 'bigint' },
        rank: { type: 'int', virtual: true, gen: (c) => rankOf(c.i, c.n) },
        tier: { type: { enum: ['small', 'medium', 'large', 'enterprise'] }, gen: (c) => tierOf(c.row.rank, c.n) },
        name: { type: 'text', gen: (c) => c.faker.company.name() },
        slug: { type: 'text', unique: true, gen: (c) => `${slug(c.row.name).slice(0, 40)}-${c.i + 1}` },
        industry: {
          type: { enum: ['retail', 'hospitality', 'fitness', 'transit', 'healthcare', 'education', 'events', 'parking'] },
          gen: (c) => c.rng.weighted({ retail: 30, hospitality: 20, fitness: 12, transit: 8, healthcare: 8, education: 8, events: 7, parking: 7 }),
        },
        country: { type: 'varchar(2)', gen: (c) => c.rng.weighted({ US: 45, GB: 15, DE: 10, CA: 10, AU: 8, FR: 7, NL: 5 }) },
        created_at: { type: 'timestamptz', gen: (c) => c.t.businessHours(c.t.between(START_MS, Date.parse(TIERS[c.row.tier].joinedBy))) },
        // Where, between the licensed terminal's installation and a month ago, accounts with a history upgraded.
        upgrade_frac: { type: 'double precision', virtual: true, gen: (c) => c.rng.uniform(0.2, 0.8) },
      },
    },
    locations: {
      per: { parent: 'accounts', count: (c) => lowSkew(c.rng, TIERS[c.parent.tier].locations) },
      columns: {
        id: { type: 'bigint' },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.key('accounts', c.parentIndex) },
        tier: { type: { enum: TIER_ORDER }, virtual: true, gen: (c) => c.parent.tier },
        city: { type: 'text', gen: (c) => c.faker.location.city() },
        name: { type: 'text', gen: (c) => `${c.row.city} ${c.rng.pick(['Downtown', 'Mall', 'Airport', 'Central', 'North', 'Station', 'Campus', 'Harbour'])}` },
        country: { type: 'varchar(2)', gen: (c) => c.parent.country },
        timezone: { type: 'text', gen: (c) => TIMEZONES[c.parent.country]! },
        opened_at: {
          type: 'timestamptz',
          gen: (c) => { const from = ms(c.parent.created_at); return c.t.between(from, Math.min(from + 540 * DAY, REF_MS - 90 * DAY)); },
        },
      },
    },
    devices: {
      per: { parent: 'locations', count: (c) => lowSkew(c.rng, TIERS[c.parent.tier].devicesPerLocation) },
      columns: {
        id: { type: 'bigint' },
        location_id: { type: 'bigint', references: 'locations', gen: (c) => c.key('locations', c.parentIndex) },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        model: { type: { enum: MODELS.map((m) => m[0]) }, gen: (c) => c.rng.weighted(MODELS) },
        serial: { type: 'text', unique: true, gen: (c) => `${MODEL_CODE[c.row.model]}-${String(c.i + 1).padStart(7, '0')}` },
        firmware: { type: 'text', gen: (c) => c.rng.weighted([['3.4.2', 10], ['3.5.0', 15], ['4.0.1', 30], ['4.1.3', 45]]) },
        activity: { type: 'double precision', virtual: true, gen: (c) => c.rng.lognormal(-0.125, 0.5) },
        installed_at: {
          type: 'timestamptz',
          gen: (c) => { const from = ms(c.parent.opened_at); return c.t.between(from, Math.min(from + 720 * DAY, REF_MS - DAY)); },
        },
        retired_at: {
          type: 'timestamptz',
          nullable: true,
          gen: (c) => { const from = ms(c.row.installed_at) + 30 * DAY; return from < REF_MS - DAY && c.rng.chance(0.03) ? c.t.between(from, REF_MS - DAY) : null; },
        },
        status: { type: { enum: ['active', 'offline', 'retired'] }, gen: (c) => (c.row.retired_at ? 'retired' : c.rng.chance(0.04) ? 'offline' : 'active') },
      },
    },
    users: {
      // Account 1 has at least as many users as known logins (they come first).
      per: { parent: 'accounts', count: (c) => Math.max(c.rng.int(...TIERS[c.parent.tier].users), c.parentIndex === 0 ? parseLogins(c.params.logins).length : 0) },
      columns: {
        id: { type: 'bigint' },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.key('accounts', c.parentIndex) },
        login: { type: jsonb<Login | null>(), virtual: true, gen: (c) => (c.parentIndex === 0 ? (parseLogins(c.params.logins)[c.k] ?? null) : null) },
        first_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.firstName() },
        last_name: { type: 'text', virtual: true, gen: (c) => c.faker.person.lastName() },
        email: {
          type: 'text',
          unique: true,
          gen: (c) => (c.row.login ? c.row.login.email : `${slug(c.row.first_name)}.${slug(c.row.last_name)}.${c.i + 1}@example.com`),
        },
        full_name: { type: 'text', gen: (c) => (c.row.login ? c.row.login.name : `${c.row.first_name} ${c.row.last_name}`) },
        password_hash: { type: 'text', export: false, gen: passwordOf },
        role: { type: { enum: ['owner', 'admin', 'analyst', 'viewer'] }, gen: (c) => (c.k === 0 ? 'owner' : c.row.login ? 'admin' : c.rng.weighted({ admin: 15, analyst: 35, viewer: 50 })) },
        activity: { type: 'double precision', virtual: true, gen: (c) => c.rng.lognormal(-0.125, 0.5) * ROLE_ACTIVITY[c.row.role]! },
        // The account owner signs up with the account; colleagues join over its lifetime.
        signed_up_at: {
          type: 'timestamptz',
          gen: (c) => { const from = ms(c.parent.created_at); return c.k === 0 ? at(from + c.rng.int(1, 60) * MINUTE) : c.t.between(from, REF_MS - DAY); },
        },
      },
    },
    subscriptions: {
      // Every account has its current subscription; 20% (rank ≡ 4 mod 5) also an earlier, smaller plan.
      per: { parent: 'accounts', count: (c) => (c.parent.rank % 5 === 4 ? 2 : 1) },
      columns: {
        id: { type: 'bigint' },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.key('accounts', c.parentIndex) },
        current: { type: 'boolean', virtual: true, gen: (c) => c.k === c.n - 1 },
        plan: {
          type: { enum: ['starter', 'growth', 'business', 'enterprise'] },
          gen: (c) => { const p = TIERS[c.parent.tier].plan; return c.row.current ? p : PLAN_BELOW[p]!; },
        },
        status: { type: { enum: ['active', 'ended'] }, gen: (c) => (c.row.current ? 'active' : 'ended') },
        // The terminal the licence is registered to: the account's first-installed live device.
        device_id: { type: 'bigint', references: 'devices', gen: (c) => c.key('devices', licensedDevice(c, c.parentIndex).index) },
        seats: {
          type: 'int',
          gen: (c) => { const [d0, d1] = devicesOf(c, c.parentIndex); return c.row.current ? d1 - d0 : Math.max(1, Math.round((d1 - d0) * 0.6)); },
        },
        monthly_price: { type: 'numeric(10,2)', gen: (c) => c.row.seats * PRICE_PER_DEVICE[c.row.plan]! },
        installed: { type: 'bigint', virtual: true, gen: (c) => licensedDevice(c, c.parentIndex).installed },
        upgraded: { type: 'bigint', virtual: true, gen: (c) => upgradeAt(c.row.installed, c.parent.upgrade_frac) },
        // The first subscription starts when its terminal goes live; a history's second one at the upgrade.
        started_at: { type: 'timestamptz', gen: (c) => at(c.k === 0 ? c.row.installed : c.row.upgraded) },
        ended_at: { type: 'timestamptz', nullable: true, gen: (c) => (c.row.current ? null : at(c.row.upgraded)) },
      },
    },
    tap_events: {
      per: {
        parent: 'devices',
        count: (c) => events(c.rng, c.params.tapsPerDeviceYear, (deviceEnd(c.parent) - ms(c.parent.installed_at)) / YEAR, c.parent.activity),
      },
      description: 'Taps on a terminal between its installation and retirement (or the reference date).',
      columns: {
        id: { type: 'bigint' },
        device_id: { type: 'bigint', references: 'devices', gen: (c) => c.parent.id },
        location_id: { type: 'bigint', references: 'locations', gen: (c) => c.parent.location_id },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        tapped_at: { type: 'timestamptz', gen: (c) => c.t.seasonal(ms(c.parent.installed_at), deviceEnd(c.parent), TAP_SEASON) },
        kind: { type: { enum: TAP_KINDS.map((k) => k[0]) }, gen: (c) => c.rng.weighted(TAP_KINDS) },
        outcome: { type: { enum: TAP_OUTCOMES.map((k) => k[0]) }, gen: (c) => c.rng.weighted(TAP_OUTCOMES) },
        response_ms: { type: 'int', gen: (c) => Math.round(c.rng.lognormal(5.2, 0.35) * (c.row.outcome === 'error' ? 4 : 1)) },
        amount_cents: { type: 'int', nullable: true, gen: (c) => (c.row.kind === 'payment' ? Math.max(50, Math.round(c.rng.lognormal(7, 0.8))) : null) },
      },
    },
    page_views: {
      per: {
        parent: 'users',
        count: (c) => events(c.rng, c.params.pageViewsPerUserYear, (REF_MS - ms(c.parent.signed_up_at)) / YEAR, c.parent.activity),
      },
      description: 'Dashboard page views of a user after sign-up.',
      columns: {
        id: { type: 'bigint' },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.id },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        path: { type: 'text', gen: (c) => c.rng.weighted(PAGES) },
        viewed_at: { type: 'timestamptz', gen: (c) => c.t.seasonal(ms(c.parent.signed_up_at), REF_MS, OFFICE_SEASON) },
        duration_ms: { type: 'int', gen: (c) => Math.min(3_600_000, Math.round(c.rng.lognormal(9.6, 1))) },
      },
    },
    feature_usage: {
      per: {
        parent: 'users',
        count: (c) => events(c.rng, c.params.featureUsesPerUserYear, (REF_MS - ms(c.parent.signed_up_at)) / YEAR, c.parent.activity),
      },
      description: 'Feature uses of a user after sign-up; device features act on a device of the account that was live then.',
      columns: {
        id: { type: 'bigint' },
        user_id: { type: 'bigint', references: 'users', gen: (c) => c.parent.id },
        account_id: { type: 'bigint', references: 'accounts', gen: (c) => c.parent.account_id },
        use: { type: jsonb<Use>(), virtual: true, gen: featureUse },
        feature: { type: { enum: [...FEATURES] }, gen: (c) => c.row.use.feature },
        device_id: { type: 'bigint', nullable: true, references: 'devices', gen: (c) => c.row.use.device },
        used_at: { type: 'timestamptz', gen: (c) => { const u = c.row.use; return c.t.seasonal(u.lo, u.hi, OFFICE_SEASON); } },
        duration_ms: { type: 'int', gen: (c) => Math.round(c.rng.lognormal(8.5, 1.1)) },
      },
    },
  },
  checks: tapflowChecks,
});
