/**
 * Date and timestamp columns: a natural distribution by name (birth dates, recent activity,
 * expiry dates in the future, rare deletions), kept inside literal bounds (checks, partition
 * ranges: values outside are redrawn uniformly inside, never piled on the edge) and between the
 * earlier columns the row orders it after or before (`timeIn`). Unique ones are spread evenly over
 * the window, one slot per row.
 */
import type { Choice, ColumnFacts } from './facts.js';
import { q } from './facts.js';

/** Created-like columns: the start of a row's life (children are created after their parent's). */
export const CREATED_LIKE = /^(created|inserted|registered|signed_up|joined|placed|opened|started|issued|ordered|requested|submitted|sent|published|hired|added|uploaded|occurred|attempted)(_at|_on|_date)?$|^(creation|start|issue|order|hire)_(date|time)$|^date_created$|^createdat$/;

const DAY = 86_400_000;
/** Created-like timestamps spread over this many days before the reference date. */
const HISTORY_DAYS = 3 * 365;
/** `x > now()`: the check is evaluated at load time, after the reference date. */
const FUTURE_MS = 50 * 365 * DAY;

const FUTURE = /(expire|expiry|expiration|valid_until|valid_to|renews?|renewal|due|deadline|scheduled|next_|until|ends?_|end_|_end$|_until$|retire)/;

/** Step of a date/time column in ms: a day for `date`, a second for timestamp(0). */
export function timeStep(f: Pick<ColumnFacts, 'kind' | 'timePrecision'>): number {
  if (f.kind === 'date') return DAY;
  const p = f.timePrecision ?? 6;
  return p >= 3 ? 1 : Math.pow(10, 3 - p);
}

/** The natural value by name, and its NULL share. */
function natural(f: ColumnFacts): { base: string; nullShare?: number; note?: string } {
  const n = f.name.toLowerCase().replace(/(?<=[a-z])(?=[A-Z])/g, '_');
  const since = `c.t.ago(${HISTORY_DAYS})`;
  if (/(birth|dob|born)/.test(n)) return { base: `c.t.between(new Date('1945-01-01T00:00:00Z'), new Date('2006-12-31T00:00:00Z'))` };
  if (/^(deleted|archived|cancell?ed|banned|suspended|revoked|disabled|locked|discarded)(_at|_on)?$/.test(n)) return { base: `c.t.recent(${since})`, nullShare: 0.9 };
  if (/^(closed|resolved|completed|finished|ended|delivered|read|seen|last_(login|seen|used|active|activity)|confirmed|verified|approved|shipped|paid|processed|terminat\w*|voided|refunded|failed)(_at|_on|_date)?$/.test(n)) return { base: `c.t.recent(${since})`, nullShare: 0.35 };
  if (FUTURE.test(n)) return { base: `c.t.between(c.t.ago(365), new Date(c.refDate.getTime() + 365 * DAY))` };
  if (f.parentTime && CREATED_LIKE.test(n)) {
    // A child is created after its parent (cheap: the parent row is cached while its group streams).
    const p = `c.parent.${f.parentTime.column}`;
    return { base: `(${p} ? c.t.after(${p} as Date, 180 * DAY) : c.t.recent(${since}))`, note: `after ${f.parentTime.table}.${f.parentTime.column} of the parent row` };
  }
  return { base: `c.t.recent(${since})` };
}

/** How far a column typically lies from the one it follows (due 45 days after issued, …). */
function spanDays(name: string): number {
  const n = name.toLowerCase();
  if (/due|deadline/.test(n)) return 45;
  if (/return|deliver|ship|arriv|check_?out/.test(n)) return 14;
  if (/clos|resolv|complet|finish|end|stop|paid|approv|accept|read|settl|captur/.test(n)) return 60;
  if (FUTURE.test(n)) return 365;
  return 120;
}

export function temporal(f: ColumnFacts): Choice {
  const r = f.rule;
  const step = timeStep(f);
  const { base, nullShare, note } = natural(f);
  const lows: string[] = [];
  const highs: string[] = [];
  if (r.after !== undefined && Number.isFinite(r.after)) lows.push(String(r.after));
  if (r.before !== undefined && Number.isFinite(r.before)) highs.push(String(r.before));
  if (r.afterNow) lows.push(`c.refDate.getTime() + ${FUTURE_MS}`);
  if (r.beforeNow) highs.push('c.refDate.getTime()');
  const bound = (b: { column: string; expr?: string; strict: boolean }, sign: 1 | -1): string => (b.strict ? `shift(${b.expr ?? `c.row.${b.column}`}, ${sign * step})` : b.expr ?? `c.row.${b.column}`);
  for (const b of f.lows ?? []) lows.push(bound(b, 1));
  for (const b of f.highs ?? []) highs.push(bound(b, -1));
  const orders = [...(f.lows ?? []).map((b) => `after ${b.column}`), ...(f.highs ?? []).map((b) => `before ${b.column}`)];
  if (f.unique) {
    // One slot per row, evenly over the window (the literal bounds, else the last three years).
    const lo = r.after !== undefined && Number.isFinite(r.after) ? String(r.after) : `c.refDate.getTime() - ${HISTORY_DAYS} * DAY`;
    const hi = r.before !== undefined && Number.isFinite(r.before) ? String(r.before) : 'c.refDate.getTime()';
    const capacity = r.after !== undefined && r.before !== undefined && Number.isFinite(r.after) && Number.isFinite(r.before) ? Math.floor((r.before - r.after) / step) + 1 : Number.MAX_SAFE_INTEGER;
    return { code: `spreadTime(c.i, c.count(${q(f.table)}), ${lo}, ${hi}, ${step})`, capacity, note: 'unique: one slot per row, spread over the window' };
  }
  const loExpr = lows.length ? (lows.length === 1 && !lows[0]!.startsWith('c.row') && !lows[0]!.startsWith('shift') ? lows[0]! : `loOf(${lows.join(', ')})`) : 'null';
  const hiExpr = highs.length ? (highs.length === 1 && !highs[0]!.startsWith('c.row') && !highs[0]!.startsWith('shift') ? highs[0]! : `hiOf(${highs.join(', ')})`) : 'null';
  const span = spanDays(f.name);
  // Ordered after (or before) another column of the row: drawn close to it, not independently.
  const follow = f.lows?.length ? 1 : f.highs?.length ? -1 : 0;
  const code = loExpr === 'null' && hiExpr === 'null' && step <= 1 && f.kind !== 'date' ? base : `timeIn(c.rng, ${base}, ${loExpr}, ${hiExpr}, ${span} * DAY, ${step === DAY ? 'DAY' : step}, c.refDate${follow ? `, ${follow}` : ''})`;
  const notes = [note, orders.length ? orders.join(', ') : undefined].filter(Boolean).join('; ');
  return { code, ...(nullShare !== undefined ? { nullShare } : {}), ...(notes ? { note: notes } : {}) };
}
