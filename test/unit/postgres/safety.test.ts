import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSeedpipeError } from '../../../src/errors.js';
import { assertLocalOrConfirmed, canonicalDatabaseUrl, describeTarget, isLocalDatabase, parseDatabaseTarget } from '../../../stages/sinks/postgres/safety.js';

test('loopback addresses, localhost and Unix sockets are local', () => {
  for (const url of [
    'postgres://u:p@localhost:5432/db',
    'postgresql://127.0.0.1/db',
    'postgres://127.45.6.7:6543/db',
    'postgres://[::1]:5432/db',
    'postgres://u@[0:0:0:0:0:0:0:1]/db',
    'postgres:///db',
    'postgres://%2Fvar%2Frun%2Fpostgresql/db',
    'postgres://u@/db?host=/var/run/postgresql',
    'postgres://example.com/db?host=/tmp',
    'socket:/var/run/postgresql?db=app',
    'host=localhost dbname=app user=me',
    'dbname=app',
  ]) assert.equal(isLocalDatabase(url), true, url);
  // pg cannot parse (or connect to) a list of host:port pairs: refused rather than guessed.
  assert.equal(isLocalDatabase('postgres://localhost:5432,127.0.0.1:5433/db'), false);
});

test('every other host is remote, including private-network addresses and look-alikes', () => {
  for (const url of [
    'postgres://u:p@db.example.com:5432/prod',
    'postgres://10.0.0.5/db',
    'postgres://192.168.1.10/db',
    'postgres://128.0.0.1/db',
    'postgres://localhost.example.com/db',
    'postgres://127.0.0.1.nip.io/db',
    'postgres://[2001:db8::1]:5432/db',
    'postgres://localhost,db.example.com/db',
    'host=db.internal dbname=app',
    'postgres://u@/db?host=db.example.com',
  ]) assert.equal(isLocalDatabase(url), false, url);
});

test('the target is parsed without its password', () => {
  const t = parseDatabaseTarget('postgres://alice:s3cr%40t@db.example.com:6432/shop?sslmode=require');
  assert.deepEqual(t, { hosts: ['db.example.com'], port: '6432', database: 'shop', user: 'alice', hostaddrs: [], doubts: [] });
  assert.equal(describeTarget('postgres://alice:s3cret@db.example.com:6432/shop'), 'db.example.com:6432/shop');
  assert.equal(describeTarget('postgres://[::1]:5432/x'), '[::1]:5432/x');
});

test('a remote database needs --confirm-production; the error names host and database, never the password', () => {
  const url = 'postgres://admin:hunter2-secret@prod-db.example.com:5432/orders';
  assert.throws(() => assertLocalOrConfirmed(url, false), (e: unknown) => {
    assert.ok(isSeedpipeError(e));
    assert.equal(e.code, 'PRODUCTION_NOT_CONFIRMED');
    assert.match(e.message, /prod-db\.example\.com/);
    assert.match(e.message, /orders/);
    assert.match(e.message, /--confirm-production/);
    assert.doesNotMatch(e.message, /hunter2/);
    assert.doesNotMatch(JSON.stringify(e.data), /hunter2/);
    return true;
  });
  assert.doesNotThrow(() => assertLocalOrConfirmed(url, true));
  assert.doesNotThrow(() => assertLocalOrConfirmed('postgres://admin:pw@127.0.0.1:5432/orders', false));
});

test('the host is the one pg connects to: PG* variables fill what the URL leaves out', () => {
  const env = { PGHOST: 'db.example.com', PGPORT: '6543' };
  for (const url of ['postgres://u:pw@/db', 'postgres:///db', 'postgres://u@/db?port=5432']) {
    assert.equal(isLocalDatabase(url, env), false, url);
    assert.deepEqual(parseDatabaseTarget(url, env).hosts, ['db.example.com'], url);
  }
  assert.equal(isLocalDatabase('postgres://u:pw@/db', {}), true, 'no PGHOST: pg connects to localhost');
  assert.equal(isLocalDatabase('postgres://localhost/db', env), true, 'a host in the URL wins over PGHOST');
  assert.equal(parseDatabaseTarget('postgres:///db', env).port, '6543');
});

test('a password with an unencoded @ ends at the last @, as pg reads it', () => {
  assert.deepEqual(parseDatabaseTarget('postgres://u:pw@@db.example.com/db').hosts, ['db.example.com']);
  assert.equal(isLocalDatabase('postgres://u:pw@@db.example.com/db'), false);
  assert.equal(isLocalDatabase('postgres://u:p@w@localhost/db'), true);
});

test('hostaddr and service files count: a remote hostaddr or any service makes the target non-local', () => {
  assert.equal(isLocalDatabase('postgres://localhost/db?hostaddr=10.1.2.3'), false);
  assert.equal(isLocalDatabase('postgres://localhost/db', { PGHOSTADDR: '10.1.2.3' }), false);
  assert.equal(isLocalDatabase('postgres://localhost/db', { PGHOSTADDR: '127.0.0.1' }), true);
  assert.equal(isLocalDatabase('postgres://localhost/db?service=prod'), false);
  assert.equal(isLocalDatabase('postgres://localhost/db', { PGSERVICE: 'prod' }), false);
  assert.throws(() => assertLocalOrConfirmed('postgres://localhost/db?service=prod', false), /service "prod"/);
});

test('the canonical URL names every resolved setting, so connecting with it needs no environment', () => {
  const env = { PGHOST: 'db.example.com', PGPORT: '6543', PGUSER: 'envuser', PGDATABASE: 'envdb' };
  for (const url of ['postgres://u:pw@/db', 'postgres:///', 'postgres://u:pw@@remote/db', 'postgres://u:p%40w@remote:5433/db?host=/tmp&sslmode=disable',
    'postgres://u@remote/db?password=sekrit', 'postgres://u:pw@[::1]:5432/db', 'socket:/var/run/postgresql?db=x']) {
    const canonical = canonicalDatabaseUrl(url, env);
    assert.deepEqual(parseDatabaseTarget(canonical, {}), parseDatabaseTarget(url, env), `${url} → ${canonical}`);
  }
  assert.match(canonicalDatabaseUrl('postgres://u:p%40w@remote/db?sslmode=disable'), /^postgres:\/\/u:p%40w@remote:5432\/db\?sslmode=disable$/);
  assert.throws(() => canonicalDatabaseUrl('host=x password=hunter2'), (e: unknown) => isSeedpipeError(e) && e.code === 'DB_URL_INVALID' && !e.message.includes('hunter2'));
});
