/** Options of the `filter` transform. */
export interface FilterOptions {
  /**
   * Rows to keep, per table: a predicate on the row (an object keyed by column name) or a condition in
   * the filter language (`created_at >= '2025-01-01' and not is_dm`, see expression.ts). Tables not
   * named keep every row.
   */
  where: Readonly<Record<string, string | ((row: Record<string, unknown>) => boolean)>>;
}
