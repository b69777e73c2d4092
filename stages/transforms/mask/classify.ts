/**
 * Which columns hold personal data, by name and type: the heuristics `mask` applies when a column is
 * not configured explicitly. Only text-like columns are picked (and uuid columns named like external
 * ids); keys made of row numbers are not personal data and stay as they are, so joins keep working.
 */
import type { ColumnInfo, TableInfo } from '../../../src/stage-kit.js';
import type { MaskKind } from './pseudonyms.js';

const RULES: readonly (readonly [RegExp, MaskKind])[] = [
  [/(^|_)e?-?mail(_?address)?$|^email/, 'email'],
  [/^(first|given|fore)_?name$|^fname$/, 'first_name'],
  [/^(last|family|sur)_?name$|^lname$|^surname$/, 'last_name'],
  [/(^|_)(full_?name|display_?name|user_?name|nick_?name|name|contact|author)$/, 'name'],
  [/phone|mobile|(^|_)cell$|(^|_)fax$|(^|_)tel$/, 'phone'],
  [/(^|_)(street|address|addr)(_?line)?_?\d?$|^address/, 'address'],
  [/(^|_)(city|town)$/, 'city'],
  [/zip|postal|post_?code/, 'postal'],
  [/(^|_)(ssn|sin|nin|passport|iban|bic|swift|tax_?id|vat_?(id|number)?|national_?id|licen[cs]e(_?number)?|account_?(number|no)|card_?(number|no)|external_?id|ip(_?address)?)$|(^|_)(auth0|oauth|sso|okta|google|github|stripe)_?(id|uid|sub)$/, 'id'],
  [/(^|_)(content|body|message|text|comment|description|bio|about|note|notes|summary|title|subject|remark|feedback|review|caption|signature|headline)$/, 'text'],
];

function textLike(c: ColumnInfo): boolean {
  return !c.enumValues && (c.type === 'text' || c.type.startsWith('varchar('));
}

/** The kind a column is masked as by the heuristics, or undefined. */
export function classify(table: TableInfo, c: ColumnInfo): MaskKind | undefined {
  const name = c.name.toLowerCase();
  if (c.type === 'uuid') return /(^|_)(external|auth0|oauth|sso|okta|google|github|stripe)_?(id|uid|sub)$/.test(name) ? 'uuid' : undefined;
  if (!textLike(c)) return undefined;
  // Columns of a foreign key hold the parent's key: masking them alone would break the join.
  if (table.foreignKeys.some((f) => f.columns.includes(c.name))) return undefined;
  for (const [re, kind] of RULES) if (re.test(name)) return kind;
  return undefined;
}
