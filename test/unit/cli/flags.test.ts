/**
 * Hints name only flags that exist, and every numeric flag is bounded with a message that states the
 * range. The CLI runs in-process (`main`) with a capturing Io.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram, main, type Io } from '../../../src/cli/main.js';
import { autoWorkers, workersArg } from '../../../src/cli/options.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Flags of other programs that our code passes or mentions (initdb, node, useradd, the bench script). */
const FOREIGN = new Set(['--pwfile', '--auth', '--locale', '--locale-provider', '--builtin-locale', '--no-sync', '--import', '--test',
  '--max-semi-space-size', '--max-old-space-size', '--v8-pool-size', '--system', '--user-group', '--no-create-home', '--shell', '--recursive', '--full']);

function io(): Io & { text: () => string } {
  let text = '';
  return { out: (s) => void (text += s), err: (s) => void (text += s), env: {}, cwd: ROOT, isTTY: false, text: () => text };
}

function definedFlags(): Set<string> {
  const flags = new Set<string>(['--help', '--version']);
  const walk = (c: Command): void => {
    for (const o of c.options) if (o.long) flags.add(o.long);
    c.commands.forEach(walk);
  };
  walk(buildProgram(io()));
  return flags;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(?:[cm]?[jt]s)$/.test(p) ? [p] : [];
  });
}

test('every --flag that engine, stage, dataset and CLI code mentions is a flag the CLI defines', () => {
  const defined = definedFlags();
  const missing: string[] = [];
  const files = ['src', 'stages', 'config', 'bin'].flatMap((d) => sources(join(ROOT, d)));
  assert.ok(files.some((f) => f.endsWith('stages/sinks/postgres/client.ts')) && files.some((f) => f.includes('/bin/')), 'the scan reaches stages and bin');
  for (const file of files) {
    // Any mention: after a quote, space, bracket, `=`, `/`, line start (`--db` in a template, `[--yes]`, `(--s3-timeout)`).
    for (const m of readFileSync(file, 'utf8').matchAll(/(?<![\w-])--([a-z][a-z0-9-]*[a-z0-9])(?![\w-])/gm)) {
      const flag = `--${m[1]}`;
      if (!defined.has(flag) && !FOREIGN.has(flag)) missing.push(`${flag} (${file.slice(ROOT.length)})`);
    }
  }
  assert.deepEqual(missing, []);
});

test('numeric flags are bounded: out-of-range values fail at once with exit 2 and the accepted range', async () => {
  const cases: [string[], RegExp][] = [
    [['--workers', '1000'], /worker count/],
    [['--workers', '0'], /worker count/],
    [['--scale', '1e12'], /up to 1,000,000/],
    [['--scale', '-1'], /positive number/],
    [['--scale', 'abc'], /positive number/],
    [['--batch-rows', '0'], /from 1 to 100,000/],
    [['--s3-part-size', '1MiB'], /5MiB to 5GiB/],
    [['--s3-queue-size', '500'], /from 1 to 64/],
    [['--countdown', '-5'], /from 0 to 3,600/],
    [['--embedding-dimensions', '1.5'], /from 1 to 20,000/],
    [['--seed', '1e30'], /integer seed/],
  ];
  for (const [args, message] of cases) {
    const out = io();
    const code = await main(['run', 'chat', '--dry-run', ...args], out);
    assert.equal(code, 2, `${args.join(' ')}: ${out.text()}`);
    assert.match(out.text(), message, args.join(' '));
  }
});

test('a row count beyond what one run can index is refused with the table named', async () => {
  const out = io();
  assert.equal(await main(['run', 'chat', '--dry-run', '--set', 'users.rows=10000000000000'], out), 2);
  assert.match(out.text(), /ROWS_TOO_MANY/);
  assert.match(out.text(), /table users/);
});

test('--profile on a dataset without profiles says so instead of listing nothing', async () => {
  const out = io();
  assert.equal(await main(['plan', join(ROOT, 'test/fixtures/datasets/bytes.ts'), '--profile', 'x'], out), 2);
  assert.match(out.text(), /declares no profiles/);
  assert.doesNotMatch(out.text(), /choose one of: *(\[|$)/m);
});

test('--workers auto: one thread below 4 cores (main thread and database need the two), cores − 2 above', () => {
  assert.deepEqual([1, 2, 3, 4, 8, 16].map((n) => autoWorkers(n)), [1, 1, 1, 2, 6, 14]);
  assert.equal(workersArg('auto'), 'auto');
});
