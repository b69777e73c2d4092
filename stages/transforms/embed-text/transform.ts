/**
 * `embed-text`: the text a vector index embeds, as a column. Each named table gets one more column
 * (`embed_text`, not exported to files) holding the row's text from a template or a function; the
 * vector sink embeds that column. Templates are parsed once, filled per row; never evaluated as code.
 */
import { SeedpipeError, usageError, type ColumnInfo, type TableInfo, type TableTransform, type Transform, type Values } from '../../../src/stage-kit.js';
import type { EmbedTextOptions } from './options.js';

export const EMBED_TEXT_COLUMN = 'embed_text';

type Part = string | number;

/** A template's parts: literal text, and column positions. */
export function parseTemplate(template: string, table: TableInfo): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      lit += ch;
      i++;
      continue;
    }
    if (ch === '}') throw usageError('EMBED_TEMPLATE_INVALID', `embed template of ${table.name} has an unmatched }; write }} for a brace`);
    if (ch !== '{') {
      lit += ch;
      continue;
    }
    const end = template.indexOf('}', i);
    if (end < 0) throw usageError('EMBED_TEMPLATE_INVALID', `embed template of ${table.name} has an unclosed {`);
    const name = template.slice(i + 1, end).trim();
    const j = table.columns.findIndex((c) => c.name === name);
    if (j < 0) throw usageError('EMBED_TEMPLATE_COLUMN', `embed template of ${table.name} names {${name}}, which is not a column; its columns: ${table.columns.map((c) => c.name).join(', ')}`);
    if (lit) parts.push(lit);
    lit = '';
    parts.push(j);
    i = end;
  }
  if (lit) parts.push(lit);
  return parts;
}

const show = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The template a table gets when none is given: its text columns that are not keys, one per line. */
export function defaultTemplate(table: TableInfo): string | undefined {
  const keyed = new Set([...table.primaryKey, ...table.foreignKeys.flatMap((f) => f.columns)]);
  const cols = table.columns.filter((c: ColumnInfo) => !keyed.has(c.name) && !c.enumValues && (c.type === 'text' || c.type.startsWith('varchar(')));
  return cols.length ? cols.map((c) => `{${c.name.replace(/[{}]/g, (b) => b + b)}}`).join('\n') : undefined;
}

export function embedTextTransform(o: EmbedTextOptions): Transform {
  const column = o.column ?? EMBED_TEXT_COLUMN;
  return {
    name: 'embed-text',
    forTable(input: TableInfo): TableTransform | null {
      const spec = o.tables[input.name];
      if (spec === undefined) return null;
      if (input.columns.some((c) => c.name === column)) throw usageError('EMBED_TEXT_COLUMN_TAKEN', `table ${input.name} already has a column ${column}; choose another embed-text column name`);
      const names = input.columns.map((c) => c.name);
      let text: (row: Values) => string;
      if (typeof spec === 'string') {
        const parts = parseTemplate(spec, input);
        text = (row) => {
          let s = '';
          for (const p of parts) s += typeof p === 'number' ? show(row[p]) : p;
          return s;
        };
      } else {
        text = (row) => {
          const obj: Record<string, unknown> = {};
          for (let j = 0; j < names.length; j++) obj[names[j]!] = row[j];
          const s = spec(obj);
          if (typeof s !== 'string') throw new SeedpipeError('VECTORS_SPEC', `the embedding text function of table ${input.name} returned ${typeof s}, not a string`, { disposition: 'data-quality' });
          return s;
        };
      }
      const info: TableInfo = Object.freeze({ ...input, columns: [...input.columns, { name: column, type: 'text', nullable: false, exported: false, deferred: false } satisfies ColumnInfo] });
      return { info, apply: (rows) => rows.map((r) => [...r, text(r)]) };
    },
  };
}
