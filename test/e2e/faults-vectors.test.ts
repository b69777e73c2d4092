/**
 * Fault injection with a vector index: `seedpipe run` into CSV files + Pinecone (the stand-in, through
 * the real SDK) or LanceDB (a directory), killed with SIGINT, SIGTERM and SIGKILL while messages are
 * embedded and upserted, sent to the launched wrapper or to the CLI process under it. After each:
 * the exit status a scheduler expects, no vector of the aborted run (Pinecone: its ids deleted;
 * LanceDB: tables back to their version before the run, or dropped), no temporary files, no journal;
 * after a SIGKILL the next run (or `seedpipe clean --vectors`) undoes the killed run, so the index
 * holds exactly the vectors of the run that finished. Without a database, to stay quick.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { runCli } from '../support/cli.js';
import { runAndKill, waitGone } from '../support/kill.js';
import { startPineconeStandin, type PineconeStandin } from '../support/standins/pinecone.js';

let pc: PineconeStandin;
let project: string;
let out: string;

before(async () => {
  pc = await startPineconeStandin({ dimension: 384 });
  project = await mkdtemp(join(tmpdir(), 'sp-vfaults-'));
  await chmod(project, 0o755);
  out = join(project, 'out');
});
after(async () => {
  await pc?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

const PINECONE = 'pinecone://test-index';
const lance = (name: string): string => join(project, name);

function env(): Record<string, string | undefined> {
  return { DATABASE_URL: undefined, PINECONE_API_KEY: pc.apiKey, PINECONE_CONTROLLER_HOST: pc.controllerHostUrl };
}

/** channels (300 vectors) then messages (~60k vectors): a kill lands among the message upserts. */
const args = (vectors: string, scale = '3'): string[] =>
  ['run', 'chat', '--profile', 'light', '--scale', scale, '--skip-db', '--heartbeat', '0', '--out', out, '--vectors', vectors];

const LOADING = /^channels: /m; // channels' vectors are in; messages are being embedded and upserted
/** Pinecone: kill once the stand-in holds message vectors, so the run has some to undo however fast it is. */
const MESSAGES_IN = (): boolean => pc.count('messages') > 0;

/** A run that finishes: the vectors it wrote, per namespace. */
async function finishedRun(vectors: string): Promise<{ stderr: string; vectors: Record<string, number> }> {
  const r = await runCli([...args(vectors, '0.1'), '--json'], { cwd: project, env: env() });
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { sinks: { sink: string; tables: { table: string; rows: number }[] }[] };
  const sink = summary.sinks.find((s) => s.sink === 'vectors')!;
  return { stderr: r.stderr, vectors: Object.fromEntries(sink.tables.filter((t) => t.rows > 0).map((t) => [t.table, t.rows])) };
}

function pineconeCounts(): Record<string, number> {
  return Object.fromEntries([...pc.store].filter(([, ns]) => ns.size > 0).map(([name, ns]) => [name, ns.size]));
}

/** Rows per LanceDB table (each table opened as a reader would: its newest version). */
async function lanceCounts(dir: string): Promise<Record<string, number>> {
  const db = await lancedb.connect(dir);
  try {
    const counts: Record<string, number> = {};
    for (const name of await db.tableNames()) {
      const t = await db.openTable(name);
      counts[name] = await t.countRows();
      // Every row is whole: ids unique, vectors of the index's size.
      const rows = await t.query().select(['id']).toArray();
      assert.equal(new Set(rows.map((r: { id: string }) => r.id)).size, counts[name], `${name}: no duplicate ids`);
      t.close();
    }
    return counts;
  } finally {
    db.close();
  }
}

async function journals(): Promise<string[]> {
  const dirs = [join(project, '.seedpipe', 'vectors'), ...['lance-int', 'lance-term', 'lance-kill'].map((d) => join(lance(d), '.seedpipe-runs'))];
  const found: string[] = [];
  for (const d of dirs) found.push(...(await readdir(d, { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl')));
  return found;
}

async function tempFiles(): Promise<string[]> {
  return (await readdir(out, { recursive: true }).catch(() => [] as string[])).filter((f) => /\.tmp-\d+$/.test(f));
}

function interruptLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /interrupted/.test(l));
  assert.equal(lines.length, 1, stderr);
  return lines[0]!;
}

test('SIGINT to the launched process while upserting to Pinecone: exit 130, one line saying the upserted ids were deleted, none left', async () => {
  pc.store.clear();
  const r = await runAndKill({ args: args(PINECONE), cwd: project, env: env(), when: LOADING, until: MESSAGES_IN, signal: 'SIGINT', to: 'wrapper' });
  assert.equal(r.code, 130, r.stderr);
  const line = interruptLine(r.stderr);
  assert.match(line, /deleted the [\d,]+ vector\(s\) the run had upserted to pinecone:\/\/test-index \(namespace channels, messages\)/);
  assert.match(line, /removed \d+ unfinished file\(s\) in /);
  await waitGone(r.cli);
  assert.deepEqual(pineconeCounts(), {}, 'no vector of the aborted run');
  assert.deepEqual(await tempFiles(), []);
  assert.deepEqual(await journals(), []);
});

test('SIGKILL of the launched process during Pinecone upserts: the CLI under it deletes what it upserted by itself', async () => {
  pc.store.clear();
  const r = await runAndKill({ args: args(PINECONE), cwd: project, env: env(), when: LOADING, until: MESSAGES_IN, signal: 'SIGKILL', to: 'wrapper' });
  assert.equal(r.signal, 'SIGKILL');
  await waitGone(r.cli);
  assert.deepEqual(pineconeCounts(), {});
  assert.deepEqual(await journals(), []);
});

test('SIGKILL of the CLI during Pinecone upserts: seedpipe clean --vectors deletes them, the next run leaves exactly its own', async () => {
  pc.store.clear();
  const r = await runAndKill({ args: args(PINECONE), cwd: project, env: env(), when: LOADING, until: MESSAGES_IN, signal: 'SIGKILL', to: 'cli' });
  assert.equal(r.code, 137, r.stderr);
  const left = pineconeCounts();
  assert.ok((left.messages ?? 0) > 0, 'a killed process cannot undo its upserts');
  assert.equal((await journals()).length, 1, 'its journal stays');

  const clean = await runCli(['clean', '--vectors', PINECONE], { cwd: project, env: env() });
  assert.equal(clean.code, 0, clean.stderr);
  const total = Object.values(left).reduce((a, b) => a + b, 0);
  assert.match(clean.stdout, new RegExp(`^deleted the ([\\d,]+) vector\\(s\\) the run had upserted to pinecone://test-index \\(namespace channels, messages\\), left by process ${r.cli} that no longer runs$`, 'm'));
  assert.ok(Number(/deleted the ([\d,]+)/.exec(clean.stdout)![1]!.replace(/,/g, '')) >= total, 'every id it sent is deleted');
  assert.deepEqual(pineconeCounts(), {});
  assert.deepEqual(await journals(), []);

  const next = await finishedRun(PINECONE);
  assert.deepEqual(pineconeCounts(), next.vectors, 'exactly the vectors of the run that finished');
  const again = await runCli(['clean', '--vectors', PINECONE], { cwd: project, env: env() });
  assert.equal(again.stdout, 'nothing to remove\n');
});

test('SIGTERM to the CLI while upserting to LanceDB over an earlier run: exit 143, tables back to their version before the run', async () => {
  const dir = lance('lance-term');
  const earlier = await finishedRun(`lancedb://${dir}`);
  const r = await runAndKill({ args: args(`lancedb://${dir}`), cwd: project, env: env(), when: LOADING, afterMs: 1500, signal: 'SIGTERM', to: 'cli' });
  assert.equal(r.code, 143, r.stderr);
  assert.match(interruptLine(r.stderr), new RegExp(`rolled back lancedb://${dir}: table channels back to version \\d+, table messages back to version \\d+`));
  assert.deepEqual(await lanceCounts(dir), earlier.vectors, 'the earlier run, not a row more');
  assert.deepEqual(await journals(), []);
  assert.deepEqual(await tempFiles(), []);
});

test('SIGINT to the launched process while upserting into a new LanceDB directory: exit 130, the tables the run created are dropped', async () => {
  const dir = lance('lance-int');
  const r = await runAndKill({ args: args(`lancedb://${dir}`), cwd: project, env: env(), when: LOADING, afterMs: 1500, signal: 'SIGINT', to: 'wrapper' });
  assert.equal(r.code, 130, r.stderr);
  assert.match(interruptLine(r.stderr), /dropped table channels \(created by the run\), dropped table messages \(created by the run\)/);
  await waitGone(r.cli);
  assert.deepEqual(await lanceCounts(dir), {});
  assert.deepEqual(await journals(), []);
});

test('SIGKILL of the CLI while upserting to LanceDB: the next run rolls the killed run back, then holds exactly its own vectors', async () => {
  const dir = lance('lance-kill');
  const r = await runAndKill({ args: args(`lancedb://${dir}`), cwd: project, env: env(), when: LOADING, afterMs: 1500, signal: 'SIGKILL', to: 'cli' });
  assert.equal(r.code, 137, r.stderr);
  const left = await lanceCounts(dir);
  assert.ok((left.messages ?? 0) > 0, 'a killed process cannot undo its upserts');
  assert.equal((await journals()).length, 1);

  const next = await finishedRun(`lancedb://${dir}`);
  assert.match(next.stderr, new RegExp(`rolled back lancedb://${dir}: dropped table channels \\(created by the run\\), dropped table messages \\(created by the run\\), left by process ${r.cli} that no longer runs`));
  assert.deepEqual(await lanceCounts(dir), next.vectors, 'exactly the vectors of the run that finished');
  assert.deepEqual(await journals(), []);
});
