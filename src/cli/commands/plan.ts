/** `seedpipe plan` and `run --dry-run`: tables in dependency order, counts, estimates, the FK graph. */
import type { Command } from 'commander';
import { loadDataset } from '../../dataset/load.js';
import { makePlan, type Plan } from '../../plan/plan.js';
import { estimateTables, sampleRows } from '../../plan/estimate.js';
import type { Io } from '../main.js';
import { fmtBytes, table } from '../output.js';
import { datasetOf } from '../settings.js';
import { SCHEMA_FLAG, TABLE_PREFIX_FLAG, withSchema, withTablePrefix } from '../schema.js';
import { addOnlyFlag, addPlanFlags, planOptionsOf, type RunFlags } from './run.js';
import { renderDdl } from '../../../stages/sinks/postgres/index.js';

export function registerPlan(program: Command, io: Io): void {
  addPlanFlags(program.command('plan').description('print the plan: tables in dependency order, row counts, estimated bytes, and a Mermaid graph of the foreign keys').argument('[dataset]', 'built-in name or path (default: "dataset" of the config file)'))
    .option('--json', 'print the plan as JSON')
    .action(async (dataset: string | undefined, flags: RunFlags & { json?: boolean }) => {
      const { def } = await loadDataset(datasetOf(io, dataset), io.cwd);
      await printDryRun(makePlan(def, planOptionsOf(flags, io)), { io, json: flags.json === true, sinks: [], embedder: undefined });
    });
  addOnlyFlag(program.command('ddl').description('print CREATE TABLE statements for the dataset').argument('[dataset]', 'built-in name or path (default: "dataset" of the config file)')).option(...SCHEMA_FLAG).option(...TABLE_PREFIX_FLAG).action(async (dataset: string | undefined, flags: RunFlags) => {
    const def = withTablePrefix(withSchema((await loadDataset(datasetOf(io, dataset), io.cwd)).def, flags.schema), flags.tablePrefix);
    io.out(renderDdl(makePlan(def, planOptionsOf(flags, io)).tables.map((t) => t.info), flags.schema ? { schema: flags.schema } : {}));
  });
}

/** One target a dry run checked without writing: ok, or the problem a real run would stop on. */
export interface DryRunCheck {
  target: string;
  ok: boolean;
  problem?: string;
}

export async function printDryRun(plan: Plan, o: { io: Io; json: boolean; sinks: string[]; embedder: string | undefined; checks?: DryRunCheck[] }): Promise<void> {
  const est = estimateTables(plan);
  const vectors = o.embedder ? await vectorEstimates(plan, o.embedder) : [];
  if (o.json) {
    o.io.out(
      JSON.stringify({
        dataset: plan.resolved.def.name,
        profile: plan.resolved.profile,
        seed: plan.resolved.seed,
        scale: plan.resolved.scale,
        shard: plan.shard ?? null,
        tables: plan.tables.map((t, j) => ({ table: t.name, kind: t.kind, rows: t.end - t.start, totalRows: t.total, start: t.start, end: t.end, estimatedBytes: est[j]!.bytes, deferredColumns: t.info.columns.filter((c) => c.deferred).map((c) => c.name) })),
        sinks: o.sinks,
        checks: o.checks ?? [],
        vectors,
        mermaid: plan.mermaid,
      }) + '\n',
    );
    return;
  }
  const r = plan.resolved;
  let s = `dataset ${r.def.name} · profile ${r.profile} · seed ${r.seed} · scale ${r.scale}${plan.shard ? ` · shard ${plan.shard.index}/${plan.shard.count}` : ''}\n\n`;
  s += table(
    ['#', 'table', 'shape', 'rows', 'est. bytes'],
    plan.tables.map((t, j) => [j + 1, t.name, t.kind, t.end - t.start, fmtBytes(est[j]!.bytes)]),
  );
  const totalRows = est.reduce((a, e) => a + e.rows, 0);
  s += `\ntotal: ${totalRows} rows, about ${fmtBytes(est.reduce((a, e) => a + e.bytes, 0))} of CSV\n`;
  if (plan.deferred.size) s += `cycles broken at: ${[...plan.deferred].join(', ')} (loaded as NULL, then set)\n`;
  if (o.sinks.length) s += `\nwould write:\n${o.sinks.map((x) => `  - ${x}`).join('\n')}\n`;
  const problems = (o.checks ?? []).filter((c) => !c.ok);
  if (o.checks?.length) s += problems.length ? `\nproblems a run would stop on:\n${problems.map((c) => `  - ${c.target}: ${c.problem}`).join('\n')}\n` : `\nchecked without writing: ${o.checks.length} target(s) ok\n`;
  for (const v of vectors) {
    s += `vectors ${v.table}: ${v.texts} texts, ~${v.tokens} tokens, ${v.usd === null ? 'price unknown' : `~$${v.usd.toFixed(4)}`} (${v.embedder})\n`;
  }
  s += `\n\`\`\`mermaid\n${plan.mermaid}\n\`\`\`\n`;
  o.io.out(s);
}

/** Token and cost estimates; the vector stage (and its SDKs, tens of MB) is loaded only for them. */
async function vectorEstimates(plan: Plan, embedder: string): Promise<{ table: string; texts: number; tokens: number; usd: number | null; embedder: string }[]> {
  const { CostEstimator } = await import('../../../stages/sinks/vectors/index.js');
  const out = [];
  for (const t of plan.tables) {
    const embed = plan.resolved.def.tables[t.name]!.embed;
    if (!embed) continue;
    const sample = sampleRows(plan, t.name, 500);
    const est = new CostEstimator(embedder);
    for (const row of sample) est.add(embed.text(row));
    const e = est.result();
    const texts = t.end - t.start;
    const scale = sample.length ? texts / sample.length : 0;
    const tokens = Math.round(e.tokens * scale);
    out.push({ table: t.name, texts, tokens, usd: e.pricePerMillionTokens === null ? null : (tokens / 1e6) * e.pricePerMillionTokens, embedder });
  }
  return out;
}
