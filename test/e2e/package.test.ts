/**
 * The package as a user installs it: `npm pack`, then the tarball installed into a fresh
 * CommonJS-default project and a fresh ES-module project (one install each). There: the quick
 * start on the embedded PostgreSQL, the README's dataset as .ts/.mts/.js files through the CLI, a
 * plain `node` script (tsx hidden) that uses the engine and a sink, and the user's strict `tsc`
 * accepting a typed dataset and rejecting a wrong column name.
 */
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { REPO } from '../support/cli.js';

const OPTIONAL = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@lancedb/lancedb', '@pinecone-database/pinecone', 'apache-arrow', 'openai'];
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with npm's own variables removed (the outer `npm test` sets them). */
function sh(cmd: string, args: string[], cwd: string, timeoutMs = 240_000): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE_OPTIONS' && k !== 'SEEDPIPE_NO_REEXEC') env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

function ok(r: Run, what: string): Run {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r;
}

async function duMb(dir: string): Promise<number> {
  const r = ok(await sh('du', ['-sk', dir], dir), 'du');
  return Number(r.stdout.split(/\s/)[0]) / 1024;
}

let work: string;
let tarball: string;
let readmeDataset: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'sp-pack-'));
  await chmod(work, 0o755); // the embedded PostgreSQL runs as user postgres and must reach the project
  ok(await sh('npm', ['pack', '--pack-destination', work, '--loglevel=error'], REPO), 'npm pack');
  const tgz = (await readdir(work)).filter((f) => f.endsWith('.tgz'));
  assert.equal(tgz.length, 1, 'npm pack writes one tarball');
  tarball = join(work, tgz[0]!);
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const m = /### Writing a dataset\n\n```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'the README has a "Writing a dataset" example');
  readmeDataset = m[1]!;
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

test('the tarball holds the compiled package, its types and docs, and no tests or scripts', async () => {
  const r = ok(await sh('tar', ['-tzf', tarball], work), 'tar');
  const files = r.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/seedpipe.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/heap.mjs', 'dist/src/pipeline/worker-entry.mjs', 'dist/stages/sinks/postgres/index.js', 'dist/config/chat/dataset.js']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
  for (const f of files) assert.doesNotMatch(f, /^(test|scripts|\.ci|src\/.*\.ts$|stages\/.*\.ts$|config\/.*\.ts$)|fixtures|\.test\./, `${f} does not belong in the tarball`);
});

/** Installs the tarball into a fresh project of `type` and runs every check there. */
async function userProject(t: TestContext, type: 'commonjs' | 'module'): Promise<void> {
  const dir = join(work, type);
  await mkdir(join(dir, 'seed'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `user-${type}`, version: '1.0.0', private: true, ...(type === 'module' ? { type } : {}) }, null, 2));
  ok(await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], dir), 'npm install');

  // Default install: no optional SDK, within the size budget.
  for (const p of OPTIONAL) assert.equal(existsSync(join(dir, 'node_modules', p)), false, `${p} is not installed by default`);
  const mb = await duMb(join(dir, 'node_modules'));
  t.diagnostic(`${type} project: default install ${mb.toFixed(1)} MB`);
  assert.ok(mb <= 100, `default install is ${mb.toFixed(1)} MB (budget 100 MB)`);

  // The quick start: embedded PostgreSQL and CSV files.
  try {
    ok(await sh('npx', ['seedpipe', 'run', 'chat', '--profile', 'light'], dir), 'seedpipe run chat');
    const manifest = JSON.parse(await readFile(join(dir, 'out', 'chat', 'manifest.json'), 'utf8')) as { files: { table: string; rows: number }[] };
    const messages = manifest.files.find((f) => f.table === 'messages');
    assert.ok(messages && messages.rows > 10_000, 'the CSV export holds the messages');
    const url = ok(await sh('npx', ['seedpipe', 'db', 'url'], dir), 'seedpipe db url').stdout.trim();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages');
      assert.equal(Number(rows[0]!.n), messages.rows, 'the database holds the same messages');
    } finally {
      await client.end();
    }
  } finally {
    await sh('npx', ['seedpipe', 'db', 'stop'], dir);
  }

  // The README's dataset, written as .ts, .mts and .js (CommonJS in the CommonJS project).
  const fromPackage = readmeDataset;
  const asCommonJs = fromPackage.replace(/^import \{ (.*) \} from 'seedpipe';.*$/m, "const { $1 } = require('seedpipe');").replace('export default defineDataset(', 'module.exports = defineDataset(');
  const variants = { 'shop.ts': fromPackage, 'shop.mts': fromPackage, 'shop.js': type === 'module' ? fromPackage : asCommonJs };
  const digests: string[] = [];
  for (const [file, text] of Object.entries(variants)) {
    await writeFile(join(dir, 'seed', file), text);
    ok(await sh('npx', ['seedpipe', 'run', `seed/${file}`, '--profile', 'light', '--skip-db', '--out', `out/${file}`], dir), `seedpipe run seed/${file}`);
    const m = JSON.parse(await readFile(join(dir, 'out', file, 'manifest.json'), 'utf8')) as { files: { table: string; rows: number; sha256: string }[] };
    assert.ok(m.files.some((f) => f.table === 'orders' && f.rows > 0), `${file}: orders written`);
    digests.push(m.files.map((f) => `${f.table}:${f.sha256}`).join(' '));
  }
  assert.equal(new Set(digests).size, 1, 'every module form gives the same bytes');

  // Library use from plain node, with tsx out of reach.
  const script = type === 'module' ? 'write.js' : 'write.cjs';
  await writeFile(join(dir, script), libraryScript(type));
  const tsx = join(dir, 'node_modules', 'tsx');
  await rename(tsx, `${tsx}.hidden`);
  let lib: Run;
  try {
    lib = ok(await sh(process.execPath, [script], dir), `node ${script}`);
  } finally {
    await rename(`${tsx}.hidden`, tsx);
  }
  const result = JSON.parse(lib.stdout) as { rows: number; files: string[]; s3: { code: string; message: string } };
  assert.equal(result.rows, 30);
  assert.deepEqual(result.files.sort(), ['manifest.json', 'metadata.csv', 'notes.csv', 'people.csv']);
  assert.equal((await readFile(join(dir, 'out', 'lib', 'people.csv'), 'utf8')).trim().split('\n').length, 11, 'header + 10 people');
  assert.equal(result.s3.code, 'OPTIONAL_DEPENDENCY_MISSING');
  assert.match(result.s3.message, /npm install @aws-sdk\/client-s3@\S+ @aws-sdk\/lib-storage@\S+/);

  // The user's strict tsc: the typed README dataset compiles, a wrong column name does not.
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] },
    include: ['typed/*.ts'],
  }));
  await mkdir(join(dir, 'typed'), { recursive: true });
  await writeFile(join(dir, 'typed', 'shop.ts'), fromPackage);
  ok(await sh(process.execPath, [TSC, '-p', '.'], dir), 'tsc on the typed dataset');
  assert.ok(fromPackage.includes('c.row.first}'), 'the example reads c.row.first');
  await writeFile(join(dir, 'typed', 'shop.ts'), fromPackage.replace('c.row.first}', 'c.row.frist}'));
  const bad = await sh(process.execPath, [TSC, '-p', '.'], dir);
  assert.notEqual(bad.code, 0, 'tsc rejects a wrong column name');
  assert.match(bad.stdout, /error TS(2339|2551): Property 'frist' does not exist/);
}

/** A script that writes a two-table dataset to CSV with the engine and the CSV sink. */
function libraryScript(type: 'commonjs' | 'module'): string {
  const imports = type === 'module'
    ? `import { defineDataset, makePlan, buildRunInfo, runPipeline } from 'seedpipe';\nimport { generatorSource } from 'seedpipe/sources/generator';\nimport { csvEncoder } from 'seedpipe/encoders/csv';\nimport { CsvSink } from 'seedpipe/sinks/csv';\nimport { S3Sink } from 'seedpipe/sinks/s3';\nimport { readdirSync } from 'node:fs';`
    : `const { defineDataset, makePlan, buildRunInfo, runPipeline } = require('seedpipe');\nconst { generatorSource } = require('seedpipe/sources/generator');\nconst { csvEncoder } = require('seedpipe/encoders/csv');\nconst { CsvSink } = require('seedpipe/sinks/csv');\nconst { S3Sink } = require('seedpipe/sinks/s3');\nconst { readdirSync } = require('node:fs');`;
  const body = `
const def = defineDataset({
  name: 'lib', seed: 3, refDate: '2025-06-01T00:00:00Z',
  tables: {
    people: { rows: 10, columns: { id: { type: 'bigint' }, name: { type: 'text', gen: (c) => c.faker.person.fullName() } } },
    notes: { per: { parent: 'people', count: 2 }, columns: { id: { type: 'bigint' }, person_id: { type: 'bigint', references: 'people', gen: (c) => c.parent.id }, body: { type: 'text', gen: (c) => c.text.sentence() } } },
  },
});
async function main() {
  const plan = makePlan(def);
  const outcome = await runPipeline({ run: buildRunInfo(plan), sources: generatorSource(plan), encoders: [csvEncoder()], sinks: [new CsvSink({ dir: 'out/lib' })] });
  let s3 = {};
  try { new S3Sink({ url: 's3://bucket/prefix' }); } catch (e) { s3 = { code: e.code, message: e.message }; }
  const rows = outcome.tables.reduce((n, t) => n + t.rows, 0);
  process.stdout.write(JSON.stringify({ rows, files: readdirSync('out/lib'), s3 }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`;
  return `${imports}\n${body}`;
}

test('installed into a CommonJS-default project', { timeout: 300_000 }, (t) => userProject(t, 'commonjs'));
test('installed into an ES-module project', { timeout: 300_000 }, (t) => userProject(t, 'module'));
