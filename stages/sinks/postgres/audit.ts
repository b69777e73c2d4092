/**
 * `--log-file`: an audit log of every statement class the run executes against the database
 * (BEGIN, TRUNCATE, COPY, ALTER TABLE, CREATE INDEX, UPDATE, ANALYZE, COMMIT, …) with the time and
 * the object it touches. Statement text, values and connection secrets are never written.
 */
import { appendFileSync } from 'node:fs';
import type { PgClientLike } from './client.js';

const CLASS = /^\s*(begin|commit|rollback|savepoint|release|set\s+local|set|select|show|truncate|copy|alter\s+table|create\s+(?:unique\s+)?index|create\s+table|create\s+type|create\s+temp(?:orary)?\s+table|drop\s+table|drop\s+type|drop\s+index|insert\s+into|update|delete\s+from|analyze|lock\s+table|with)\b/i;
const OBJECT = /^\s*(?:truncate|copy|alter\s+table|create\s+(?:unique\s+)?index\s+\S+\s+on|create\s+table|drop\s+table|insert\s+into|update|delete\s+from|analyze|lock\s+table)\s+(?:only\s+|if\s+(?:not\s+)?exists\s+)?("?[\w.]+"?(?:\."?\w+"?)?)/i;

export function statementClass(sql: string): { kind: string; object?: string } {
  const m = CLASS.exec(sql);
  const kind = m ? m[1]!.replace(/\s+/g, ' ').toUpperCase() : 'OTHER';
  const o = OBJECT.exec(sql);
  return o ? { kind, object: o[1]!.replace(/"/g, '') } : { kind };
}

/** One line per statement of `sql` (a string may hold several, separated by `;` at line ends). */
export function auditLine(sql: string, at = new Date()): string {
  return sql
    .split(/;\s*(?:\n|$)/)
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const c = statementClass(part);
      return `${at.toISOString()} ${c.kind}${c.object ? ` ${c.object}` : ''}\n`;
    })
    .join('');
}

/** Wraps a client so every statement's class is appended to `file` before it runs. */
export function audited(client: PgClientLike, file: string): PgClientLike {
  const query = client.query.bind(client) as (...a: unknown[]) => unknown;
  const wrapped = ((text: unknown, values?: unknown[]) => {
    if (typeof text === 'string') appendFileSync(file, auditLine(text));
    else if (text && typeof text === 'object' && 'text' in text) appendFileSync(file, auditLine(String((text as { text: unknown }).text)));
    return query(text, values);
  }) as PgClientLike['query'];
  return new Proxy(client, { get: (t, p) => (p === 'query' ? wrapped : Reflect.get(t, p)) });
}
