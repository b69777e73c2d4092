/**
 * Options of the `select` transform. Columns are named `table.column` (one table) or `column` (that
 * column in every table that has it).
 */
export interface SelectOptions {
  /** Keep only these columns (in table order); a table none of them names is left whole. Default: every column. */
  keep?: readonly string[];
  /** Leave these columns out (e.g. `users.password_hash`, a helper column). Default none. */
  drop?: readonly string[];
  /** New names, `{ 'users.name': 'full_name' }`. Default none. */
  rename?: Readonly<Record<string, string>>;
}
