/** SQL text of a parsed expression, for reports (close to how Postgres prints it). */
import type { Expr } from './parse.js';

const lit = (v: string | number | boolean | null): string => (v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));
const ident = (s: string): string => (/^[a-z_][a-z0-9_$.]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);

export function exprText(e: Expr): string {
  const p = (x: Expr): string => `(${exprText(x)})`;
  switch (e.k) {
    case 'col': return ident(e.name);
    case 'param': return `$${e.n}`;
    case 'lit': return `${lit(e.value)}${e.type ? `::${e.type}` : ''}`;
    case 'now': return 'now()';
    case 'and': case 'or': return e.args.map(p).join(` ${e.k.toUpperCase()} `);
    case 'not': return `NOT ${p(e.arg)}`;
    case 'cmp': return `${exprText(e.left)} ${e.op} ${exprText(e.right)}`;
    case 'any': return `${exprText(e.left)} ${e.op} ${e.all ? 'ALL' : 'ANY'} (${e.array ? exprText(e.array) : `ARRAY[${e.values.map(exprText).join(', ')}]`})`;
    case 'isnull': return `${exprText(e.arg)} IS ${e.not ? 'NOT ' : ''}NULL`;
    case 'istruth': return `${exprText(e.arg)} IS ${e.not ? 'NOT ' : ''}${e.value === null ? 'UNKNOWN' : e.value ? 'TRUE' : 'FALSE'}`;
    case 'distinct': return `${exprText(e.left)} IS ${e.not ? 'NOT ' : ''}DISTINCT FROM ${exprText(e.right)}`;
    case 'call': return e.name === '[]' ? `${exprText(e.args[0]!)}[${exprText(e.args[1]!)}]` : `${e.name}(${e.args.map(exprText).join(', ')})`;
    case 'array': return `ARRAY[${e.items.map(exprText).join(', ')}]`;
    case 'arith': return `${p(e.left)} ${e.op} ${p(e.right)}`;
    case 'neg': return `-${p(e.arg)}`;
    case 'cast': return `(${exprText(e.arg)})::${e.type}`;
    case 'case': return `CASE${e.subject ? ` ${exprText(e.subject)}` : ''}${e.whens.map((w) => ` WHEN ${exprText(w.when)} THEN ${exprText(w.then)}`).join('')}${e.otherwise ? ` ELSE ${exprText(e.otherwise)}` : ''} END`;
  }
}
