/**
 * Chooses a column's generator from its name, its type and what its domain allows. The result is a
 * TypeScript expression over the generator context `c` (the body of `gen: (c) => …`), written to the
 * dataset module, so users read and edit plain code instead of a rules table.
 *
 * Order of precedence: value lists (enum labels, `IN (…)` checks) → the column's name → its type.
 * Ranges and lengths from checks and from the type (varchar(n), numeric(p,s), smallint) bound every
 * choice; orderings against earlier columns keep it between them. Unique columns get bijections of
 * the row index (`c.i`) so they hold by construction at any row count up to the stated `capacity`.
 */
import type { Choice, ColumnFacts } from './facts.js';
import { allowedValues, maxLength, num, numericBounds, pickCode } from './facts.js';
import { numeric } from './numbers.js';
import { text } from './text.js';
import { temporal } from './time.js';

export * from './facts.js';
export { CREATED_LIKE, timeStep } from './time.js';
export { nameFor, snake } from './text.js';

/** JSON columns: a small object shaped by the column's name. */
export function json(f: ColumnFacts): Choice {
  const n = f.name.toLowerCase();
  let e: string;
  if (/(settings|preferences|prefs|config|configuration|options)/.test(n)) e = `({ theme: c.rng.pick(['light', 'dark', 'system']), notifications: c.rng.chance(0.7), language: c.rng.pick(['en', 'de', 'fr', 'es']) })`;
  else if (/(address|location|geo)/.test(n)) e = `({ street: c.faker.location.streetAddress(), city: c.faker.location.city(), zip: c.faker.location.zipCode() })`;
  else if (/(changes|diff|before|after|old|new|delta)/.test(n)) e = `({ field: c.faker.database.column(), from: c.text.word(), to: c.text.word() })`;
  else if (/(payload|body|request|response|event|data|raw)/.test(n)) e = `({ id: c.faker.string.alphanumeric(12), type: c.rng.pick(['created', 'updated', 'deleted']), ok: c.rng.chance(0.9), attempt: c.rng.int(1, 3) })`;
  else if (/(tags|labels|keywords|list|items)/.test(n)) e = `c.faker.lorem.words(c.rng.int(1, 4)).split(' ')`;
  else e = `({ source: c.rng.pick(['web', 'ios', 'android', 'api', 'import']), version: c.rng.int(1, 5), flag: c.rng.chance(0.5) })`;
  if (f.unique) return { code: `({ id: c.i + 1, ...${e.startsWith('(') ? e.slice(1, -1) : `{ values: ${e} }`} })`, capacity: Number.MAX_SAFE_INTEGER };
  return { code: e };
}

/** A generator for one column. */
export function chooseGenerator(f: ColumnFacts): Choice {
  const values = allowedValues(f);
  if (values && values.length > 0 && f.arrayDims === 0 && f.kind !== 'bool') {
    return { code: pickCode(values, f.unique), ...(f.unique ? { capacity: values.length } : {}), note: f.enumLabels ? undefined : 'values from a check' };
  }
  if (values && values.length === 0) return { code: 'null', note: 'no value satisfies both the type and its checks' };
  const element = scalar({ ...f, unique: f.unique && f.arrayDims === 0 });
  if (f.arrayDims === 0) return element;
  // Arrays: a few elements (a unique array leads with the row number).
  const n = f.name.toLowerCase();
  let el = element.code;
  if (f.kind === 'text' && /(scopes|permissions)$/.test(n)) el = `c.rng.pick(['read', 'write', 'admin', 'billing', 'export'])`;
  else if (f.kind === 'text' && /(events|topics)$/.test(n)) el = `c.rng.pick(['order.created', 'order.paid', 'user.signed_up', 'invoice.issued', 'ticket.closed'])`;
  else if (f.kind === 'text' && /(tags|labels|keywords|categories|skills)$/.test(n)) el = Number.isFinite(maxLength(f)) ? `fit(c.faker.word.noun(), ${maxLength(f)})` : 'c.faker.word.noun()';
  else if (f.kind === 'text' && /e?mails$/.test(n)) el = `email(c.faker.person.firstName(), c.faker.person.lastName(), null, 254)`;
  else if (f.kind === 'text' && /(phones|phone_numbers)$/.test(n)) el = `c.faker.phone.number({ style: 'national' })`;
  else if (f.kind === 'float' || f.kind === 'decimal' || f.kind === 'int') {
    const { lo, hi, scale } = numericBounds(f);
    const a = Math.max(lo, 0);
    const b = Math.min(hi, a + 100);
    el = f.kind === 'int' ? `c.rng.int(${num(a)}, ${num(b)})` : `clamp(c.rng.uniform(${num(a)}, ${num(b)}), ${num(a)}, ${num(b)}, ${scale})`;
  }
  const base = /(dimensions|coordinates|coords|size|sizes)/.test(n) ? [3, 3] : [0, 4];
  // Element counts a check asks for (`cardinality(tags) > 0`, `= 0`).
  const lo = Math.max(base[0]!, f.rule.minItems ?? 0);
  const lists = [lo, Math.max(lo, Math.min(f.rule.maxItems ?? base[1]!, Math.max(base[1]!, lo)))];
  if ((f.rule.maxItems ?? Infinity) <= 0) return { code: `'{}'`, note: 'empty (a check)' };
  // Sets of labels (tags, scopes, events) hold each value once; measurements may repeat.
  const items = lists[0] === lists[1] ? `list(c, ${lists[0]}, ${lists[1]}, () => ${el})` : `[...new Set(list(c, ${lists[0]}, ${lists[1]}, () => ${el}))]`;
  const code = f.unique ? `pgArray([c.i + 1, ...${items}])` : `pgArray(${items})`;
  return { code, ...(f.unique ? { capacity: Number.MAX_SAFE_INTEGER } : {}) };
}

function scalar(f: ColumnFacts): Choice {
  switch (f.kind) {
    case 'int': case 'decimal': case 'float': case 'money':
      return numeric(f);
    case 'text':
      return text(f);
    case 'bool': {
      if (f.rule.values?.length === 1) return { code: String(f.rule.values[0]) === 'true' ? 'true' : 'false', note: 'fixed by a check' };
      if (f.rule.notValues?.length === 1) return { code: String(f.rule.notValues[0]) === 'true' ? 'false' : 'true', note: 'fixed by a check' };
      if (f.unique) return { code: 'c.i === 0', capacity: 2 };
      const n = f.name.toLowerCase();
      const p = /(deleted|archived|banned|blocked|locked|suspended|is_test|test|internal|spam|flagged|hidden|disabled|cancell?ed|failed|deprecated|private|edited|read_only|is_admin|admin|superuser|staff)/.test(n) ? 0.1
        : /(active|enabled|visible|published|verified|confirmed|approved|available|valid|is_public|public|in_stock|subscribed|opt_in|consent|accepted|billable|success|succeeded)/.test(n) ? 0.85
        : 0.5;
      return { code: `c.rng.chance(${p})` };
    }
    case 'date': case 'timestamp':
      return temporal(f);
    case 'time':
      return { code: /(open|start|begin|from)/.test(f.name) ? 'timeOfDay(c.rng, 6, 11)' : /(close|end|until|to)$/.test(f.name) ? 'timeOfDay(c.rng, 16, 23)' : 'timeOfDay(c.rng)' };
    case 'interval':
      return { code: /(transit|delivery|shipping)/.test(f.name) ? 'interval(c.rng, 24 * 7)' : 'interval(c.rng, 72)' };
    case 'uuid':
      return f.unique ? { code: `uuidAt(c.i, ${f.salt})`, capacity: 2 ** 48, note: 'unique: derived from the row number' } : { code: 'c.faker.string.uuid()' };
    case 'json':
      return json(f);
    case 'bytea': {
      const size = /(sha256|checksum|digest|hash)/.test(f.name) ? 32 : /(thumbnail|image|photo|avatar|blob|data|file|content)/.test(f.name) ? 64 : 16;
      return f.unique ? { code: `\`\\\\x\${(c.i + 1).toString(16).padStart(12, '0')}\${bytea(c.rng, ${size}).slice(2)}\``, capacity: Number.MAX_SAFE_INTEGER } : { code: `bytea(c.rng, ${size})` };
    }
    case 'inet':
      return f.unique ? { code: 'ipv4(c.rng, c.i)', capacity: 1 << 24 } : { code: 'ipv4(c.rng)' };
    case 'cidr':
      return f.unique ? { code: '`10.${(c.i >>> 8) & 255}.${c.i & 255}.0/24`', capacity: 1 << 16 } : { code: '`10.${c.rng.int(0, 255)}.${c.rng.int(0, 255)}.0/24`' };
    case 'macaddr':
      return { code: 'macaddr(c.rng)', ...(f.unique ? { code: "`02:00:${[(c.i >>> 24) & 255, (c.i >>> 16) & 255, (c.i >>> 8) & 255, c.i & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`", capacity: 2 ** 32 } : {}) };
    case 'bit':
      return { code: `bits(c.rng, ${f.length ?? 8})` };
    case 'xml':
      return { code: '`<note>${c.text.sentence(3, 8)}</note>`' };
    case 'tsvector':
      return { code: 'c.text.sentence(4, 10).replace(/\\./g, \'\')' };
    case 'point':
      return { code: 'point(c.rng)' };
    case 'range':
      return rangeCode(f);
    case 'enum':
      return { code: 'null', note: 'enum without labels' };
    default:
      return { code: 'null', note: 'unknown type' };
  }
}

function rangeCode(f: ColumnFacts): Choice {
  const t = f.typname;
  if (t === 'int4range' || t === 'int8range') return { code: '((a) => `[${a},${a + c.rng.int(1, 100)})`)(c.rng.int(0, 1000))' };
  if (t === 'numrange') return { code: '((a) => `[${a.toFixed(2)},${(a + c.rng.uniform(1, 100)).toFixed(2)})`)(c.rng.uniform(0, 1000))' };
  if (t === 'daterange') return { code: '((d) => `[${d.toISOString().slice(0, 10)},${new Date(d.getTime() + c.rng.int(1, 30) * DAY).toISOString().slice(0, 10)})`)(c.t.recent(c.t.ago(365)))' };
  if (t === 'tsrange' || t === 'tstzrange') return { code: '((d) => `[${d.toISOString()},${new Date(d.getTime() + c.rng.int(1, 48) * 3_600_000).toISOString()})`)(c.t.recent(c.t.ago(365)))' };
  return { code: 'null', note: `unknown range type ${t}` };
}
