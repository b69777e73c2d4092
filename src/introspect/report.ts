/**
 * The introspection report (`introspect-report.md`) and the summary printed by the CLI: every
 * column or constraint the generated dataset does not honour as declared, with table, column and
 * what it does instead. Deterministic (no timestamps), so it diffs cleanly between runs.
 */
import type { Catalog } from './catalog.js';
import type { Finding, GeneratedDataset } from './generate.js';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderReport(catalog: Catalog, gen: GeneratedDataset, source: string): string {
  const L: string[] = [];
  const count = (s: Finding['severity']): number => gen.findings.filter((f) => f.severity === s).length;
  const total = gen.tables.reduce((a, t) => a + t.expectedRows, 0);
  L.push(`# Introspection report: ${gen.name}`);
  L.push('');
  L.push(`Source: ${source} (schema${catalog.schemas.length > 1 ? 's' : ''} ${catalog.schemas.join(', ')}), PostgreSQL ${Math.floor(catalog.serverVersion / 10000)}.`);
  L.push(`${gen.tables.length} of ${catalog.tables.length} tables in the dataset, about ${total.toLocaleString('en-US')} rows at scale 1.`);
  L.push(`${count('error')} error(s) (the load fails as generated), ${count('warning')} warning(s) (a constraint is not guaranteed, or a column is left to the database), ${count('info')} note(s).`);
  L.push('');
  L.push('Edit `dataset.ts` to change anything below; `schema.generated.ts` is rewritten on every introspect.');
  L.push('');
  for (const [sev, title] of [['error', 'Errors'], ['warning', 'Warnings'], ['info', 'Notes']] as const) {
    const items = gen.findings.filter((f) => f.severity === sev);
    L.push(`## ${title}`);
    L.push('');
    if (!items.length) {
      L.push('None.');
      L.push('');
      continue;
    }
    L.push('| table | column | problem | what the dataset does |');
    L.push('|---|---|---|---|');
    for (const f of items) L.push(`| ${esc(f.table)} | ${esc(f.column ?? '')} | ${esc(f.problem)} | ${esc(f.chosen)} |`);
    L.push('');
  }
  L.push('## Left alone');
  L.push('');
  if (!gen.untouched.length) L.push('None.');
  else {
    L.push('Declared `untouched` in the dataset: not generated, and never written, emptied or altered by a sink.');
    L.push('');
    for (const u of gen.untouched) L.push(`- ${u.schema}.${u.table}: ${esc(u.reason)}`);
  }
  L.push('');
  L.push('## Tables');
  L.push('');
  if (gen.tenant) {
    L.push(`Tenant table: ${gen.tenant}. References between tables scoped to it stay within one ${gen.tenant} row.`);
    L.push('');
  }
  L.push('| table | database table | shape | rows (scale 1) | columns |');
  L.push('|---|---|---|---|---|');
  for (const t of gen.tables) {
    const shape = t.shape === 'rows' ? `rows: ${t.rows}` : t.shape === 'per' ? `per ${t.parent}, count ${t.count}` : `junction ${t.parent} × ${t.target}, count ${t.count}`;
    L.push(`| ${t.table} | ${esc(`${t.schema}.${t.sqlName}`)} | ${esc(shape)} | ${t.expectedRows.toLocaleString('en-US')} | ${t.columns} |`);
  }
  L.push('');
  const seqs = catalog.tables.flatMap((t) => t.columns.filter((c) => c.sequence).map((c) => ({ t, c })));
  L.push('## Sequences');
  L.push('');
  if (!seqs.length) L.push('None.');
  else {
    L.push('Column defaults that draw from a sequence (declared on the column as `sequence`): a sink moves each past the largest loaded value.');
    L.push('');
    L.push('| column | sequence | owned by the column |');
    L.push('|---|---|---|');
    for (const { t, c } of seqs) L.push(`| ${esc(`${t.schema}.${t.name}.${c.name}`)} | ${esc(`${c.sequence!.schema}.${c.sequence!.name}`)} | ${c.sequence!.owned ? 'yes' : 'no'} |`);
  }
  L.push('');
  return L.join('\n');
}

/** A few lines for the terminal: counts, then every error and warning (one line each). */
export function renderSummary(gen: GeneratedDataset, files: { generated: string; dataset: string; datasetWritten: boolean; report: string; packageJson?: string }, limit = 30): string {
  const L: string[] = [];
  const errors = gen.findings.filter((f) => f.severity === 'error');
  const warnings = gen.findings.filter((f) => f.severity === 'warning');
  const total = gen.tables.reduce((a, t) => a + t.expectedRows, 0);
  L.push(`introspected ${gen.tables.length} tables (about ${total.toLocaleString('en-US')} rows at scale 1)`);
  L.push(`  wrote ${files.generated}`);
  L.push(files.datasetWritten ? `  wrote ${files.dataset} (yours to edit; never overwritten)` : `  kept ${files.dataset} (your edits; it imports the regenerated tables)`);
  if (files.packageJson) L.push(`  wrote ${files.packageJson} ({ "type": "module" }: the dataset files are ES modules)`);
  L.push(`  wrote ${files.report}: ${errors.length} error(s), ${warnings.length} warning(s), ${gen.findings.length - errors.length - warnings.length} note(s)`);
  const shown = [...errors, ...warnings].slice(0, limit);
  for (const f of shown) L.push(`  ${f.severity === 'error' ? 'ERROR' : 'warn '} ${f.table}${f.column ? `.${f.column}` : ''}: ${f.problem} → ${f.chosen}`);
  if (errors.length + warnings.length > shown.length) L.push(`  … ${errors.length + warnings.length - shown.length} more in the report`);
  return L.join('\n') + '\n';
}
