/**
 * Tokens of the expressions `pg_get_constraintdef`, `pg_get_expr` and SQL function bodies print:
 * numbers, string literals, (quoted) identifiers, operators, punctuation, casts and `$n` parameters.
 */
export type Tok =
  | { t: 'num'; v: number; raw: string }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string; quoted: boolean }
  | { t: 'op'; v: string }
  | { t: 'p'; v: '(' | ')' | '[' | ']' | ',' }
  | { t: 'cast' }
  | { t: 'param'; n: number };

export function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    if ((ch === 'E' || ch === 'e') && s[i + 1] === "'") {
      // E'…' escape string (function bodies): backslash escapes.
      let v = '';
      i += 2;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated string literal');
        const c = s[i]!;
        if (c === '\\' && i + 1 < s.length) {
          const n = s[i + 1]!;
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
          i += 2;
          continue;
        }
        if (c === "'") {
          if (s[i + 1] === "'") { v += "'"; i += 2; continue; }
          i++;
          break;
        }
        v += c;
        i++;
      }
      out.push({ t: 'str', v });
      continue;
    }
    if (ch === '$' && /[0-9]/.test(s[i + 1] ?? '')) {
      const m = /^\$(\d+)/.exec(s.slice(i))!;
      out.push({ t: 'param', n: Number(m[1]) });
      i += m[0].length;
      continue;
    }
    if (ch === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated string literal');
        if (s[i] === "'") {
          if (s[i + 1] === "'") { v += "'"; i += 2; continue; }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    if (ch === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated quoted identifier');
        if (s[i] === '"') {
          if (s[i + 1] === '"') { v += '"'; i += 2; continue; }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ t: 'id', v, quoted: true });
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?/i.exec(s.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), raw: m[0] });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(s.slice(i))!;
      out.push({ t: 'id', v: m[0], quoted: false });
      i += m[0].length;
      continue;
    }
    if (s.startsWith('::', i)) { out.push({ t: 'cast' }); i += 2; continue; }
    if (ch === '.') { out.push({ t: 'op', v: '.' }); i++; continue; }
    if ('()[],'.includes(ch)) { out.push({ t: 'p', v: ch as '(' }); i++; continue; }
    const op = /^(<=|>=|<>|!=|~~\*|!~~\*|~~|!~~|!~\*|~\*|!~|\|\||[<>=~+\-*/%^])/.exec(s.slice(i));
    if (op) { out.push({ t: 'op', v: op[0] }); i += op[0].length; continue; }
    throw new Error(`unexpected character ${JSON.stringify(ch)}`);
  }
  return out;
}

