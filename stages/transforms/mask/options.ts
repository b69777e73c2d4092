import type { MaskKind } from './pseudonyms.js';

/** Options of the `mask` transform. */
export interface MaskOptions {
  /**
   * The secret every pseudonym is keyed by (SipHash-2-4 under keys derived from it by SHA-256): the same key gives the same masked data,
   * another key entirely different data, and without it a pseudonym cannot be traced back by hashing
   * guesses. At least 16 characters. Never printed.
   */
  key: string | Buffer;
  /**
   * Explicit choices by `table.column` (or `column` for every table): a kind, or `keep` to leave a
   * column as it is. They win over the heuristics.
   */
  columns?: Readonly<Record<string, MaskKind | 'keep'>>;
  /**
   * Pick columns by name and type as well (emails, names, phones, addresses, cities, postal codes,
   * external ids, free text; see classify.ts). Default true. With false, only `columns` are masked.
   */
  auto?: boolean;
  /** Tables to mask. Default: every table. */
  tables?: readonly string[];
}
