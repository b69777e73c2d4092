/**
 * Estimates for `plan`/`--dry-run`: bytes per table from a sample of rows spread over the table
 * (generated and encoded, nothing written), scaled to the planned row count.
 */
import { World } from '../generate/world.js';
import type { Row } from '../generate/table.js';
import { BatchMaker } from '../pipeline/batches.js';
import type { Plan } from './plan.js';

export interface TableEstimate {
  table: string;
  rows: number;
  bytes: number;
  sampled: number;
}

/** Up to `n` row indexes spread evenly over [start, end). */
export function sampleIndexes(start: number, end: number, n: number): number[] {
  const len = end - start;
  if (len <= 0) return [];
  if (len <= n) return Array.from({ length: len }, (_, j) => start + j);
  return Array.from({ length: n }, (_, j) => start + Math.floor((j * len) / n));
}

export function estimateTables(plan: Plan, sample = 200): TableEstimate[] {
  const maker = new BatchMaker(new World(plan.resolved));
  return plan.tables.map((t) => {
    const idx = sampleIndexes(t.start, t.end, sample);
    let bytes = 0;
    for (const i of idx) bytes += maker.make(t.info, i, i + 1, false).csv.length;
    const rows = t.end - t.start;
    return { table: t.name, rows, bytes: idx.length ? Math.round((bytes / idx.length) * rows) : 0, sampled: idx.length };
  });
}

/** Sample rows of a table as objects (for text/token estimates). */
export function sampleRows(plan: Plan, table: string, sample = 500): Row[] {
  const world = new World(plan.resolved);
  const t = plan.tables.find((x) => x.name === table);
  if (!t) return [];
  const rt = world.table(table);
  return sampleIndexes(t.start, t.end, sample).map((i) => rt.rowAt(i));
}
