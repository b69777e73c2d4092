/**
 * `mask`: replaces personal data with deterministic, format-keeping pseudonyms (pseudonyms.ts) keyed
 * by a secret. Columns are chosen by name and type heuristics (classify.ts) and by explicit
 * configuration. The same input gives the same output under one key, in every table: a masked key and
 * the foreign keys that point at it stay joined, and two runs with the same source and key are
 * identical. The table's shape does not change.
 */
import { usageError, type ColumnInfo, type TableInfo, type TableTransform, type Transform, type Values } from '../../../src/stage-kit.js';
import { classify } from './classify.js';
import type { MaskOptions } from './options.js';
import { MASK_KINDS, Pseudonyms, type MaskKind } from './pseudonyms.js';

function configured(o: MaskOptions, table: string, column: string): MaskKind | 'keep' | undefined {
  return o.columns?.[`${table}.${column}`] ?? o.columns?.[column];
}

/** Cuts a pseudonym to a varchar(n)'s characters. */
function fits(c: ColumnInfo): (s: string) => string {
  const m = /^varchar\((\d+)\)$/.exec(c.type);
  if (!m) return (s) => s;
  const n = Number(m[1]);
  return (s) => (s.length <= n ? s : Array.from(s).slice(0, n).join(''));
}

export function maskTransform(o: MaskOptions): Transform {
  const keyLength = Buffer.isBuffer(o.key) ? o.key.length : typeof o.key === 'string' ? Buffer.byteLength(o.key) : 0;
  if (keyLength < 16) throw usageError('MASK_KEY_INVALID', 'the masking key must be at least 16 characters (SEEDPIPE_MASK_KEY or --mask-key-file); keep it secret: it is what makes pseudonyms irreversible');
  for (const [ref, kind] of Object.entries(o.columns ?? {})) {
    if (kind !== 'keep' && !MASK_KINDS.includes(kind)) throw usageError('MASK_KIND_UNKNOWN', `mask ${ref}=${String(kind)}: unknown kind; use one of ${MASK_KINDS.join(', ')} or keep`);
  }
  const p = new Pseudonyms(o.key);
  return {
    name: 'mask',
    forTable(input: TableInfo): TableTransform | null {
      if (o.tables && !o.tables.includes(input.name)) return null;
      const unique = new Set([...input.uniques.filter((u) => u.length === 1).map((u) => u[0]!), ...(input.primaryKey.length === 1 ? [input.primaryKey[0]!] : [])]);
      const plans: { j: number; f: (v: unknown) => unknown }[] = [];
      input.columns.forEach((c, j) => {
        const chosen = configured(o, input.name, c.name);
        const kind = chosen === 'keep' ? undefined : (chosen ?? (o.auto === false ? undefined : classify(input, c)));
        if (!kind) return;
        const isInt = c.type === 'bigint' || c.type === 'int' || c.type === 'smallint';
        if (isInt) {
          if (kind !== 'id') throw usageError('MASK_KIND_MISMATCH', `mask ${input.name}.${c.name}=${kind}: an integer column can only be masked as id`);
          plans.push({ j, f: (v) => (typeof v === 'number' && Math.abs(v) < 1e15 ? p.integer(v) : v) });
          return;
        }
        const cut = fits(c);
        const u = unique.has(c.name);
        plans.push({ j, f: (v) => (typeof v === 'string' && v !== '' ? cut(p.string(kind, v, u)) : v) });
      });
      if (plans.length === 0) return null;
      return {
        info: input,
        apply: (rows: readonly Values[]) =>
          rows.map((r) => {
            const out = [...r];
            for (const { j, f } of plans) out[j] = f(r[j]);
            return out;
          }),
      };
    },
  };
}

/** Which column of which table is masked as what, for reports and `--dry-run`. */
export function maskPlan(o: Omit<MaskOptions, 'key'>, tables: readonly TableInfo[]): { table: string; column: string; kind: MaskKind }[] {
  const out: { table: string; column: string; kind: MaskKind }[] = [];
  for (const t of tables) {
    if (o.tables && !o.tables.includes(t.name)) continue;
    for (const c of t.columns) {
      const chosen = configured(o as MaskOptions, t.name, c.name);
      const kind = chosen === 'keep' ? undefined : (chosen ?? (o.auto === false ? undefined : classify(t, c)));
      if (kind) out.push({ table: t.name, column: c.name, kind });
    }
  }
  return out;
}
