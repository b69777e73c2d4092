/**
 * The lock-table estimate: the fastest set-aside level that fits the server, lower levels when it is
 * small, and — when nothing fits — the max_locks_per_transaction to set. Counts are the catalog's
 * for the MusicBrainz fixture and a 1,000-table, 2,961-foreign-key schema (measured in pg_locks).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLevel, locksError, type LockObjects } from '../../../stages/sinks/postgres/locks.js';

const musicbrainz: LockObjects = { relations: 1763, foreignKeys: 770, outsideForeignKeys: 0, keys: 369, indexes: 315, sequences: 236 };
const wide: LockObjects = { relations: 6961, foreignKeys: 2961, outsideForeignKeys: 0, keys: 1000, indexes: 2961, sequences: 1000 };
const defaults = { perTransaction: 64, slots: 122, inUse: 0 };
const replace = { replace: true, created: 0, tables: 1000 };

test('a default server sets every constraint of 371 tables aside, and only outside foreign keys of 1,000', () => {
  assert.equal(chooseLevel(musicbrainz, defaults, 'full', { ...replace, tables: 371 }).level, 'full');
  const w = chooseLevel(wide, defaults, 'full', replace);
  assert.deepEqual([w.level, w.fits], ['outside', true]);
  assert.equal(chooseLevel(wide, { ...defaults, perTransaction: 512 }, 'full', replace).level, 'full');
  // --no-fast-path asks for the lowest level whatever the room.
  assert.equal(chooseLevel(musicbrainz, defaults, 'outside', replace).level, 'outside');
});

test('when nothing fits, the error names the setting and the value to set', () => {
  const small = { perTransaction: 16, slots: 122, inUse: 200 };
  const c = chooseLevel(wide, small, 'full', replace);
  assert.equal(c.fits, false);
  assert.ok(c.raiseTo >= 64 && c.raiseTo % 64 === 0);
  const e = locksError('127.0.0.1:5432/app', c.needed, small, c.raiseTo, 1000);
  assert.equal(e.code, 'POSTGRES_TOO_FEW_LOCKS');
  assert.match(e.message, new RegExp(`Raise max_locks_per_transaction to at least ${c.raiseTo} \\(ALTER SYSTEM SET max_locks_per_transaction = ${c.raiseTo}; then restart the server\\)`));
  assert.match(e.message, /Nothing was changed/);
});
