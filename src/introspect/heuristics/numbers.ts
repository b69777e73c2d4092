/**
 * Numeric columns by name: money (log-normal inside numeric(p,s) and the checks), coordinates,
 * percentages, ages, years, counts, durations, sizes, integer enum codes; kept between the
 * earlier columns the row orders them after or before.
 */
import type { Choice, ColumnFacts } from './facts.js';
import { num, numericBounds, words } from './facts.js';

/** Integer, numeric, float and money columns. */
export function numeric(f: ColumnFacts): Choice {
  const c0 = numericNatural(f) as Choice & { range?: [number, number] };
  const range = c0.range;
  delete c0.range;
  if (!f.lows?.length && !f.highs?.length) return c0;
  // Between the earlier columns the row orders it after / before (max_lat >= min_lat).
  const b0 = numericBounds(f);
  const scale = b0.scale;
  const lo = range ? Math.max(b0.lo, range[0]) : b0.lo;
  const hi = range ? Math.min(b0.hi, range[1]) : b0.hi;
  const step = f.kind === 'int' ? 1 : f.kind === 'float' ? 0 : Math.pow(10, -scale);
  const b = (x: { column: string; expr?: string; strict: boolean }, sign: 1 | -1): string => (x.strict ? `shift(${x.expr ?? `c.row.${x.column}`}, ${sign * (step || 1e-9)})` : x.expr ?? `c.row.${x.column}`);
  const lows = [...(Number.isFinite(lo) ? [num(lo)] : []), ...(f.lows ?? []).map((x) => b(x, 1))];
  const highs = [...(Number.isFinite(hi) ? [num(hi)] : []), ...(f.highs ?? []).map((x) => b(x, -1))];
  const orders = [...(f.lows ?? []).map((x) => `>= ${x.column}`), ...(f.highs ?? []).map((x) => `<= ${x.column}`)].join(', ');
  return {
    ...c0,
    code: `numIn(c.rng, ${c0.code}, ${lows.length ? `loOf(${lows.join(', ')})` : 'null'}, ${highs.length ? `hiOf(${highs.join(', ')})` : 'null'}, ${f.kind === 'float' ? -1 : scale})`,
    note: [c0.note, orders].filter(Boolean).join('; '),
  };
}

/** Small integer codes: Rails/Django enums stored as integers (`status`, `kind`, `role`, `*_type`). */
const INT_ENUM = /^(status|state|kind|role|type|category|visibility|level|access_level|permission|mode|stage|phase|source|gender|priority|plan|tier)$|_(status|state|type|kind|role|mode|level)$|^(status|state|type|kind)_(id|code)$/;

function numericNatural(f: ColumnFacts): Choice {
  const n = f.name.toLowerCase().replace(/(?<=[a-z])(?=[A-Z])/g, '_');
  const { lo, hi, scale } = numericBounds(f);
  const isInt = f.kind === 'int';
  // The name's typical range inside what the type and checks allow; when they do not overlap, the
  // checks' range (both bounds given) or a span of the same width from the allowed edge.
  const within = (a: number, b: number): [number, number] => {
    const x = Math.max(lo, a);
    const y = Math.min(hi, b);
    if (x <= y) return [x, y];
    if (f.rule.min !== undefined && f.rule.max !== undefined) return [lo, hi];
    return Number.isFinite(lo) && lo > b ? [lo, Math.min(hi, lo + (b - a))] : [Math.max(lo, hi - (b - a)), hi];
  };
  if (lo > hi) return { code: num(lo), note: 'the checks leave no range; check the constraints' };
  if (f.unique) {
    const start = lo > 0 || lo === -Infinity ? (lo > 0 ? lo : 1) : lo <= 0 && hi >= 1 ? 1 : lo;
    const from = Number.isFinite(start) ? start : 1;
    const capacity = Math.floor(hi - from) + 1;
    return { code: from === 0 ? 'c.i' : `c.i + ${num(from)}`, capacity: Math.max(0, capacity), note: 'unique: the row number' };
  }
  if (isInt && INT_ENUM.test(n) && !f.unique) {
    // Integer enums take a handful of values from the smallest allowed (0 unless a check says 1).
    const a0 = Math.max(lo, lo <= 0 && hi >= 0 ? 0 : lo);
    const top = Math.min(hi, a0 + (/priority|level|tier/.test(n) ? 4 : 3));
    const values = Array.from({ length: top - a0 + 1 }, (_, k) => a0 + k);
    return { code: `c.rng.weighted([${values.map((v, k) => `[${v}, ${k === 0 ? 6 : k === 1 ? 3 : 1}]`).join(', ')}])`, note: 'integer enum' };
  }
  const w = words(n);
  const money = /^(price|amount|total|cost|fee|fees|balance|salary|wage|revenue|subtotal|tax|vat|discount|payment|paid|due|budget|value|income|spend|spent|credit|debit|refund|charge|tip|bonus|commission|rent|msrp|mrr|arr|ltv)$/;
  const isMoney = f.kind === 'money' || w.some((x) => money.test(x)) || /_cents$/.test(n);
  if (isMoney) {
    const typical = /salary|wage|income/.test(n) ? 60000 : /budget|revenue|arr|ltv/.test(n) ? 50000 : /balance|rent|mrr/.test(n) ? 800 : /tax|vat|fee|tip|discount|charge/.test(n) ? 8 : /total|subtotal|amount|payment|paid|due|value|refund|credit|debit/.test(n) ? 120 : 40;
    const [a, b] = within(Math.max(0, lo), hi);
    if (/_cents$/.test(n) || (isInt && !/_cents$/.test(n))) {
      const t = /_cents$/.test(n) ? typical * 100 : typical;
      return { code: `Math.round(amount(c.rng, ${num(a)}, ${num(b)}, 0, ${t}))`, note: 'money' };
    }
    return { code: `amount(c.rng, ${num(a)}, ${num(b)}, ${scale}, ${typical})`, note: 'money' };
  }
  type Spec = [RegExp, number, number, 'uniform' | 'small' | 'lognormal', number?];
  const specs: Spec[] = [
    [/(^|_)(lat|latitude)(_\w+)?$|^(min|max|south|north)_?lat/, -90, 90, 'uniform'],
    [/(^|_)(lng|lon|long|longitude)(_\w+)?$|^(min|max|east|west)_?(lon|lng)/, -180, 180, 'uniform'],
    [/(^|_)(zoom|zoom_level)$/, 0, 20, 'uniform'],
    [/(^|_)(altitude|elevation)(_m)?$/, -50, 4000, 'uniform'],
    [/(^|_)(heading|bearing|direction_deg)$/, 0, 359, 'uniform'],
    [/^(age|age_years)$/, 18, 90, 'uniform'],
    [/(^|_)(year|yr)$|_year_/, 1990, 2025, 'uniform'],
    [/(^|_)month$/, 1, 12, 'uniform'],
    [/(^|_)(day|day_of_month)$/, 1, 28, 'uniform'],
    [/(^|_)(hour)$/, 0, 23, 'uniform'],
    [/(^|_)(minute|second)$/, 0, 59, 'uniform'],
    [/(rating|stars|score)$/, 1, 5, 'uniform'],
    [/(percent|percentage|pct)$|^progress$/, 0, 100, 'uniform'],
    [/(^|_)(rate|ratio|probability|share)$/, 0, 1, 'uniform'],
    [/(reorder_level|reorder_point|threshold|safety_stock)$/, 1, 1000, 'small', 10],
    [/(^|_)(depth|nesting|nesting_level|indent)$/, 0, 10, 'small', 1],
    [/(priority|level|tier|grade)$/, 1, 5, 'uniform'],
    [/^(status_code|http_status|response_code)$/, 200, 503, 'uniform'],
    [/(quantity|qty|units|count|seats|licenses|attempts|retries|guests|children|items|pieces)$/, 1, 1000, 'small', 3],
    [/^(num|number_of|n)_/, 0, 1000, 'small', 3],
    [/(votes|likes|views|followers|following|clicks|shares|downloads|stars_count)$/, 0, 100000, 'small', 12],
    [/(position|sort_order|display_order|ordinal|sequence|seq|order_index|line_no|line_number|rank|sort|index)$/, 1, 1000, 'small', 5],
    [/(^|_)(ms|millis|milliseconds|duration_ms|latency|latency_ms|elapsed_ms)$/, 1, 600000, 'lognormal', 350],
    [/(^|_)(seconds|secs|duration|elapsed)$/, 1, 86400, 'lognormal', 180],
    [/(^|_)(minutes|mins)$/, 1, 600, 'lognormal', 45],
    [/(^|_)(hours|hrs)$/, 1, 200, 'lognormal', 6],
    [/(^|_)days$/, 1, 365, 'lognormal', 7],
    [/(bytes|size|file_size|filesize|size_bytes|length_bytes)$/, 1, 1e10, 'lognormal', 250000],
    [/(capacity|capacity_m3|volume)$/, 1, 100000, 'lognormal', 2000],
    [/(weight|weight_kg|mass)$/, 0.1, 1000, 'lognormal', 3],
    [/(height|width|length|depth|size_cm|_cm|_mm)$/, 0.1, 1000, 'lognormal', 30],
    [/(population)$/, 100, 1e9, 'lognormal', 50000],
    [/(estimate|estimate_hours|effort)$/, 0.5, 200, 'lognormal', 6],
    [/(^|_)(limit|max_\w+|min_\w+)$/, 1, 1000, 'small', 10],
    [/(stock|inventory|on_hand|available)$/, 0, 100000, 'small', 40],
  ];
  for (const [re, a0, b0, dist, mean] of specs) {
    if (!re.test(n)) continue;
    const [a, b] = within(isInt ? Math.ceil(a0) : a0, isInt ? Math.floor(b0) : b0);
    // The name's range also bounds orderings (max_lat >= min_lat stays within ±90).
    return { code: distCode(dist, a, b, isInt, scale, mean), range: [a, b] } as Choice;
  }
  // Default: small positive numbers inside the allowed range.
  const a = Number.isFinite(lo) ? Math.max(lo, lo <= 0 && hi >= 1 ? 1 : lo) : 1;
  const b = Math.min(hi, a + (isInt ? 999 : 999.99));
  return { code: distCode('uniform', a, b, isInt, scale) };
}

export function distCode(dist: 'uniform' | 'small' | 'lognormal', a: number, b: number, isInt: boolean, scale: number, mean?: number): string {
  if (dist === 'small') return isInt ? `small(c.rng, ${num(a)}, ${num(b)}, ${num(Math.max(a + 1, mean ?? 3))})` : `clamp(small(c.rng, ${num(Math.ceil(a))}, ${num(Math.floor(b))}, ${num(mean ?? 3)}), ${num(a)}, ${num(b)}, ${scale})`;
  if (dist === 'lognormal') return isInt ? `Math.round(amount(c.rng, ${num(a)}, ${num(b)}, 0, ${num(mean ?? 10)}))` : `amount(c.rng, ${num(a)}, ${num(b)}, ${scale}, ${num(mean ?? 10)})`;
  return isInt ? `c.rng.int(${num(a)}, ${num(b)})` : `clamp(c.rng.uniform(${num(a)}, ${num(b)}), ${num(a)}, ${num(b)}, ${scale})`;
}
