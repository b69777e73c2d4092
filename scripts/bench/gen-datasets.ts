/**
 * Generation alone, per dataset, in one process: every planned table generated to its `copy-csv` bytes
 * (the engine's batch maker, no pipeline, no sink), rounds interleaved across datasets, median rows/s and
 * the ratio to chat's messages in the same run. Also the harness to profile generation:
 *   node --cpu-prof --import tsx scripts/bench/gen-datasets.ts --only erp --runs 1
 * Datasets: chat (messages, ~300k), erp and scrum (medium), tapflow and aquaculture (light), lago (introspected
 * into `--introspected DIR/dataset.ts`, made by `datasets.ts`'s realCase; skipped when not given).
 */
import { loadDataset, makePlan, type PlanOptions } from '../../src/index.js';
import { World } from '../../src/generate/world.js';
import { BatchMaker } from '../../src/pipeline/batches.js';
import { median } from './postgres.js';

export interface GenCase { label: string; dataset: string; options: PlanOptions }

export async function generationRowsPerSec(k: GenCase): Promise<{ rows: number; seconds: number; bytes: number }> {
  const { def } = await loadDataset(k.dataset);
  const plan = makePlan(def, k.options);
  const maker = new BatchMaker(new World(plan.resolved));
  let rows = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const t of plan.tables) {
    for (let s = t.start; s < t.end; s += 4096) bytes += maker.make(t.info, s, Math.min(t.end, s + 4096), false).csv.length;
    rows += t.end - t.start;
  }
  return { rows, seconds: (performance.now() - t0) / 1000, bytes };
}

export function genCases(only: string[] | null, introspected?: string): GenCase[] {
  const all: GenCase[] = [
    { label: 'chat messages (~300k)', dataset: 'chat', options: { profile: 'medium', set: ['channels.rows=1000', 'messagesPerChannel=300'], only: ['messages'] } },
    { label: 'erp (medium)', dataset: 'erp', options: { profile: 'medium' } },
    { label: 'scrum (medium)', dataset: 'scrum', options: { profile: 'medium' } },
    { label: 'tapflow (light)', dataset: 'tapflow', options: { profile: 'light' } },
    { label: 'aquaculture (light)', dataset: 'aquaculture', options: { profile: 'light' } },
    ...(introspected ? [{ label: 'lago (introspected)', dataset: introspected, options: {} }] : []),
  ];
  return all.filter((c) => !only || only.some((o) => c.label.startsWith(o)));
}

export async function benchGeneration(cases: GenCase[], runs: number): Promise<string> {
  const rates = cases.map((): number[] => []);
  const counts = cases.map(() => 0);
  for (let r = 0; r < runs; r++) {
    for (const [j, c] of cases.entries()) {
      const m = await generationRowsPerSec(c);
      rates[j]!.push(m.rows / m.seconds);
      counts[j] = m.rows;
      process.stderr.write(`  … ${c.label} round ${r + 1}/${runs}: ${Math.round(m.rows / m.seconds)} rows/s (${m.rows} rows, ${(m.bytes / m.rows).toFixed(0)} B/row)\n`);
    }
  }
  const chat = cases.findIndex((c) => c.dataset === 'chat');
  const lines = ['| dataset | rows | rows/s (median) | vs chat |', '|---|---:|---:|---:|'];
  for (const [j, c] of cases.entries()) {
    const ratio = chat >= 0 ? median(rates[j]!.map((x, r) => x / rates[chat]![r]!)).toFixed(2) + '×' : '–';
    lines.push(`| ${c.label} | ${counts[j]} | ${Math.round(median(rates[j]!))} | ${ratio} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const arg = (n: string): string | undefined => { const i = args.indexOf(n); return i >= 0 ? args[i + 1] : undefined; };
  console.log(await benchGeneration(genCases(arg('--only')?.split(',') ?? null, arg('--introspected')), Number(arg('--runs') ?? 3)));
}
