/**
 * The report is honest: a check the solver cannot solve is an error naming the check and the
 * override to write; the load then fails on exactly that check; with the override written in
 * dataset.ts as the report says, it loads. A check that NULL passes is met by leaving its
 * columns NULL, and the report says so only when the code does write NULL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { buildRunInfo, loadDataset, makePlan } from '../../../src/index.js';
import { runPlan } from '../../support/pipeline.js';
import { startTestEmbedded, type TestPostgres } from '../../support/postgres.js';
import { databaseWith, FIXTURES, introspectInto } from './helpers.js';
import { copyLoad, fullCsvSink } from './copy-load.js';

let server: TestPostgres;
before(async () => {
  server = await startTestEmbedded();
});
after(async () => {
  await server?.stop();
});

async function generateAndLoad(dir: string, url: string): Promise<void> {
  const { def } = await loadDataset(dir);
  const plan = makePlan(def);
  const sink = await fullCsvSink();
  await runPlan({ plan, run: buildRunInfo(plan), sinks: [sink] });
  await copyLoad(url, plan, sink);
}

/** The generator of `table.column` in the generated module. */
function genOf(source: string, table: string, column: string): string {
  const start = source.indexOf(`    ${table}: {`);
  const line = source.slice(start).split('\n').find((l) => l.trimStart().startsWith(`${column}: {`));
  assert.ok(line, `${table}.${column} in the generated file`);
  return line;
}

test('an unsolvable check is an error with its text and the override; the load fails on it; the override fixes it', async () => {
  const url = await databaseWith(server.url, 'unsolvable', new URL('unsolvable.sql', FIXTURES));
  const r = await introspectInto(url, { rows: 40 });
  const errors = r.dataset.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors));
  const e = errors[0]!;
  assert.equal(e.table, 'gadgets');
  assert.equal(e.column, 'motto');
  assert.match(e.problem, /length\(motto\) % 2/);
  assert.match(e.chosen, /tables: \{ gadgets: \{ columns: \{ motto: \{ gen: \(c\) => … \} \} \} \}/);
  const report = readFileSync(r.files.report, 'utf8');
  assert.match(report, /1 error\(s\)/);
  assert.match(report, /length\(motto\) % 2/);

  // NULL passes the product check: both columns NULL, said and done.
  const budget = r.dataset.findings.find((f) => /gadgets_budget/.test(f.problem));
  assert.ok(budget && budget.severity === 'warning' && /always NULL/.test(budget.chosen), JSON.stringify(budget));
  for (const col of ['price', 'qty']) assert.match(genOf(r.dataset.source, 'gadgets', col), /gen: \(\) => null/);
  // Never "always NULL" for a column the code fills.
  for (const f of r.dataset.findings.filter((x) => /always NULL/.test(x.chosen))) {
    for (const col of (f.column ?? '').split(', ')) assert.match(genOf(r.dataset.source, f.table, col), /=> null \}/, `${f.table}.${col}`);
  }

  // As reported: the load fails on that check (and only it).
  await assert.rejects(generateAndLoad(r.files.dataset, url), (err: unknown) => (err as { constraint?: string }).constraint === 'gadgets_motto_check');

  // The override the report names makes it load, every other constraint held by Postgres.
  // (A new file: the first one is cached by the module loader.)
  const edited = r.files.dataset.replace(/dataset\.ts$/, 'dataset-edited.ts');
  writeFileSync(edited, readFileSync(r.files.dataset, 'utf8').replace(/tables: \{\n/, "tables: {\n      gadgets: { columns: { motto: { gen: (c) => `Motto ${c.i}`.padEnd(12, '.') } } },\n"));
  await generateAndLoad(edited, url);
});
