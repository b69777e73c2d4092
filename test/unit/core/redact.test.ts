import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redact } from '../../../src/errors.js';
import { displayUrl } from '../../../src/db/embedded.js';

test('every form of a connection password is redacted', () => {
  const cases: [string, string][] = [
    ['postgres://app:hunter2@db.example.com:5432/prod', 'postgres://app:***@db.example.com:5432/prod'],
    ['postgres://app:hunt%40er2@db.example.com/prod', 'postgres://app:***@db.example.com/prod'],
    ['postgres://app:hunter2@@db.example.com/prod', 'postgres://app:***@db.example.com/prod'],
    ['postgres://app:p@ss@word@db.example.com/prod', 'postgres://app:***@db.example.com/prod'],
    ['postgres://app@db.example.com/prod?sslmode=require&password=hunter2', 'postgres://app@db.example.com/prod?sslmode=require&password=***'],
    ['postgres://app@db.example.com/prod?password=hunter2&sslmode=require', 'postgres://app@db.example.com/prod?password=***&sslmode=require'],
    ['host=db.example.com password=hunter2 dbname=prod', 'host=db.example.com password=*** dbname=prod'],
    ["host=db.example.com password='hun ter2' dbname=prod", 'host=db.example.com password=*** dbname=prod'],
    ['postgress://app:hunter2@db.example.com/prod', 'postgress://app:***@db.example.com/prod'],
    ['{"connect":{"password":"hunter2","host":"x"}}', '{"connect":{"password":"***","host":"x"}}'],
    ['sslpassword=hunter2', 'sslpassword=***'],
  ];
  for (const [input, want] of cases) assert.equal(redact(input), want, input);
});

test('text without secrets is unchanged; given secrets are removed wherever they appear', () => {
  for (const s of ['postgres://app@db.example.com/prod', 'email me at a@b.example.com', 'https://example.com/a?b=c', 'time 12:30 at @home']) assert.equal(redact(s), s);
  assert.equal(redact('key sk-abcdef123 in a message', ['sk-abcdef123']), 'key *** in a message');
  assert.equal(displayUrl('postgres://postgres:seedpipe@127.0.0.1:5432/postgres'), 'postgres://postgres:***@127.0.0.1:5432/postgres');
});
