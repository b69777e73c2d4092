/**
 * SQL identifiers and literals, shared by every stage that talks to Postgres (the sink writes, the
 * source reads): one quoting and one qualification rule, so both name a table the same way.
 */

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** `"schema"."name"`, or `"name"` without a schema. */
export function qualified(name: string, schema?: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}
