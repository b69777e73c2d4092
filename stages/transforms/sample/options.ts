/** Options of the `sample` transform. */
export interface SampleOptions {
  /** Share of rows to keep, 0 < rate ≤ 1 (`--sample 0.1` keeps about 10%). */
  rate: number;
  /** Picks which rows: the same seed and key values keep the same rows. Default 0. */
  seed?: number;
  /**
   * The columns whose values decide, per table. Default: the primary key (a table without one
   * samples by row position). Give a child table its parent's key (`{ messages: ['user_id'] }`)
   * and it keeps exactly the rows whose parent was kept: the decision depends on the values only,
   * not on the table, so `users.id = 7` and `messages.user_id = 7` are kept or dropped together.
   */
  keys?: Readonly<Record<string, readonly string[]>>;
  /** Tables to sample. Default: every table. */
  tables?: readonly string[];
}
