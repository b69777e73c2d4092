/**
 * Test fixtures of the vector sink: literal table descriptions, row batches and run info, so tests
 * need no dataset or generator.
 */
import type { ColumnInfo, ColumnType, RunInfo, SinkBatch, TableInfo } from '../../../src/stage-kit.js';

function col(name: string, type: ColumnType, nullable = false): ColumnInfo {
  return { name, type, nullable, exported: true, deferred: false };
}

/** `articles(id bigint pk, title text, body text, tags text, author_id bigint)`. */
export function articlesTable(rows = 0): TableInfo {
  return Object.freeze({
    name: 'articles',
    columns: [col('id', 'bigint'), col('title', 'text'), col('body', 'text'), col('tags', 'text', true), col('author_id', 'bigint')],
    primaryKey: ['id'],
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
    exported: true,
    rows,
    firstRow: 0,
  });
}

/** `memberships(org_id, user_id, role)` with a composite primary key. */
export function membershipsTable(rows = 0): TableInfo {
  return Object.freeze({
    name: 'memberships',
    columns: [col('org_id', 'bigint'), col('user_id', 'bigint'), col('role', 'text')],
    primaryKey: ['org_id', 'user_id'],
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
    exported: true,
    rows,
    firstRow: 0,
  });
}

/** `audit_log(at, message)`: no primary key. */
export function auditTable(rows = 0): TableInfo {
  return Object.freeze({
    name: 'audit_log',
    columns: [col('at', 'timestamptz'), col('message', 'text')],
    primaryKey: [],
    foreignKeys: [],
    uniques: [],
    indexes: [],
    checks: [],
    exported: true,
    rows,
    firstRow: 0,
  });
}

const TOPICS = ['postgres replication lag', 'vector search recall', 'kubernetes pod eviction', 'invoice payment terms', 'salmon feeding schedule', 'sprint retrospective notes', 'chat message threading', 'tap event analytics'];
const WORDS = ['fast', 'reliable', 'tuning', 'guide', 'incident', 'review', 'design', 'checklist', 'migration', 'report'];

/** Article row `i` in `articlesTable` column order: deterministic, varied text. */
export function articleRow(i: number): unknown[] {
  const topic = TOPICS[i % TOPICS.length] as string;
  const w1 = WORDS[(i * 7) % WORDS.length] as string;
  const w2 = WORDS[(i * 3 + 1) % WORDS.length] as string;
  return [i + 1, `${topic} ${w1} ${i}`, `A ${w2} ${w1} about ${topic}, part ${i}.`, i % 3 === 0 ? null : `${w1},${w2}`, (i % 17) + 1];
}

export function articleBatch(start: number, count: number): SinkBatch {
  const rows: unknown[][] = [];
  for (let i = start; i < start + count; i++) rows.push(articleRow(i));
  return { table: 'articles', start, count: rows.length, rows, bytes: Buffer.alloc(0) };
}

export function batchOf(table: string, start: number, rows: unknown[][]): SinkBatch {
  return { table, start, count: rows.length, rows, bytes: Buffer.alloc(0) };
}

export function runInfo(tables: readonly TableInfo[]): RunInfo {
  return {
    dataset: 'fixture',
    seed: 1,
    profile: 'light',
    scale: 1,
    refDate: '2025-01-01T00:00:00.000Z',
    startedAt: '2025-01-01T00:00:00.000Z',
    versions: { seedpipe: '0.1.0', faker: '10.0.0', node: process.version },
    tables,
  };
}
