/**
 * Help as users read it: every command lists only the options it defines and uses (no run flags
 * under ddl or validate), examples, the environment variables it reads; the default profile said
 * once, truthfully, in the README and the help.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildProgram, type Io } from '../../../src/cli/main.js';
import { builtinDatasets, loadDataset } from '../../../src/index.js';
import { defaultProfile } from '../../../src/plan/resolve.js';

const io: Io = { out: () => undefined, err: () => undefined, env: {}, cwd: '/', isTTY: false };

function leaves(cmd: Command, prefix = ''): [string, Command][] {
  return cmd.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return c.commands.length ? leaves(c, `${name} `) : [[name, c] as [string, Command]];
  });
}

/** Long flags listed in the Options section of a help text. */
function listed(help: string): string[] {
  const section = help.split(/\nOptions:\n/)[1]?.split(/\n\n/)[0] ?? '';
  return [...section.matchAll(/^ {2}(?:-\w, )?(--[a-z0-9-]+)/gm)].map((m) => m[1]!);
}

const RUN_ONLY = ['--s3', '--workers', '--vectors', '--embedder', '--mode', '--gzip', '--dry-run', '--skip-db', '--heartbeat', '--batch-rows'];
const EXPECTED: Record<string, string[]> = {
  ddl: ['--only', '--schema', '--table-prefix', '--config', '--help'],
  validate: ['--seed', '--profile', '--scale', '--set', '--db', '--schema', '--json', '--config', '--help'],
  plan: ['--seed', '--profile', '--scale', '--set', '--only', '--shard', '--shards', '--json', '--config', '--help'],
  reset: ['--db', '--schema', '--cascade', '--yes', '--confirm-production', '--countdown', '--config', '--help'],
  'db url': ['--database', '--config', '--help'],
};

test('every command’s help lists exactly the options it defines, and run’s flags only under run', () => {
  for (const [name, cmd] of leaves(buildProgram(io))) {
    const help = cmd.helpInformation();
    const shown = listed(help);
    const defined = [...cmd.options.map((o) => o.long!).filter(Boolean), '--help'];
    assert.deepEqual([...new Set(shown)].sort(), [...new Set(defined.filter((f) => !cmd.options.find((o) => o.long === f)?.hidden))].sort(), name);
    if (EXPECTED[name]) assert.deepEqual(shown.sort(), [...EXPECTED[name]!].sort(), `${name} shows only what applies`);
    // export and copy stream an existing database to the same kinds of targets: their flags are their own.
    if (!['run', 'export', 'copy'].includes(name)) for (const f of RUN_ONLY) if (!(name === 'finalize' && f === '--s3') && !(name === 'finalize' && f === '--skip-db') && !(name === 'clean' && ['--s3', '--out', '--vectors'].includes(f))) assert.ok(!shown.includes(f), `${name} does not show ${f}`);
  }
});

test('help gives examples, the environment variables read, and the order of settings', () => {
  const program = buildProgram(io);
  for (const [name, cmd] of leaves(program)) {
    let help = '';
    cmd.configureOutput({ writeOut: (s) => (help += s) });
    // Text added with addHelpText is written by outputHelp.
    cmd.outputHelp();
    if (['run', 'validate', 'coverage', 'reset', 'introspect', 'init', 'plan', 'ddl', 'verify', 'prepare', 'finalize', 'db url', 'db psql'].includes(name)) {
      assert.match(help, /\nExamples:\n {2}seedpipe /, `${name} has examples`);
      assert.match(help, /flag wins over the environment/, `${name} states the order of settings`);
    }
    if (['run', 'validate', 'coverage', 'reset', 'introspect', 'prepare', 'finalize'].includes(name)) assert.match(help, /\nEnvironment:\n[\s\S]*DATABASE_URL/, `${name} names DATABASE_URL`);
    if (name === 'run') for (const v of ['OPENAI_API_KEY', 'PINECONE_API_KEY', 'AWS_ACCESS_KEY_ID', 'JOB_COMPLETION_INDEX']) assert.ok(help.includes(v), v);
  }
});

test('README states each dataset’s default profile as the dataset declares it, and so does --profile’s help', async () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  for (const name of builtinDatasets()) {
    const { def } = await loadDataset(name);
    const row = new RegExp(`^\\| \`${name}\` \\| ${defaultProfile(def)} \\|`, 'm');
    assert.match(readme, row, `README's datasets table: ${name} defaults to ${defaultProfile(def)}`);
  }
  assert.doesNotMatch(readme, /\(default medium\)/);
  const run = buildProgram(io).commands.find((c) => c.name() === 'run')!;
  assert.match(run.options.find((o) => o.long === '--profile')!.description, /default: the dataset’s defaultProfile, else medium/);
});
