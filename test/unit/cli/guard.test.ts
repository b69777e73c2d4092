import { test } from 'node:test';
import assert from 'node:assert/strict';
import { productionGuard } from '../../../src/cli/commands/guard.js';
import { makePlan } from '../../../src/plan/plan.js';
import type { Io } from '../../../src/cli/main.js';
import { shapes } from '../../fixtures/datasets/shapes.js';
import { SeedpipeError } from '../../../src/errors.js';
import { auditLine, statementClass } from '../../../stages/sinks/postgres/index.js';

function fakeIo(): Io & { text: () => string } {
  let err = '';
  return { out: () => undefined, err: (s) => void (err += s), env: {}, cwd: '/', isTTY: false, text: () => err };
}

const db = { url: 'postgres://app:s3cret@db.example.com:6543/prod', embedded: false, display: 'postgres://app:***@db.example.com:6543/prod' };

test('the production guard shows host, database and tables, then Ctrl-C aborts the countdown', async () => {
  const io = fakeIo();
  const plan = makePlan(shapes(), { profile: 'light' });
  const guarded = productionGuard(io, db, plan, { countdown: 5, mode: 'replace' });
  setTimeout(() => process.emit('SIGINT'), 150);
  await assert.rejects(guarded, (e: unknown) => e instanceof SeedpipeError && e.code === 'ABORTED_BY_USER' && /nothing was changed/.test(e.message));
  const shown = io.text();
  assert.match(shown, /host: db\.example\.com:6543/);
  assert.match(shown, /database: prod/);
  assert.match(shown, /accounts, users|plans, accounts/);
  assert.ok(!shown.includes('s3cret'));
});

test('the countdown runs out and the run goes on', async () => {
  const io = fakeIo();
  await productionGuard(io, db, makePlan(shapes(), { profile: 'light' }), { countdown: 1, mode: 'append' });
  assert.match(io.text(), /starting in 1 s/);
});

test('audit lines name the statement class and object, never values', () => {
  assert.deepEqual(statementClass(`COPY "public"."users" ("id","email") FROM STDIN WITH (FORMAT csv)`), { kind: 'COPY', object: 'public.users' });
  assert.deepEqual(statementClass(`INSERT INTO t (a) VALUES ('secret')`), { kind: 'INSERT INTO', object: 't' });
  const lines = auditLine(`ALTER TABLE a ADD CONSTRAINT x FOREIGN KEY (b) REFERENCES b(id);\nCREATE INDEX i ON a (b);\n`, new Date(0));
  assert.equal(lines, '1970-01-01T00:00:00.000Z ALTER TABLE a\n1970-01-01T00:00:00.000Z CREATE INDEX a\n');
});
