/**
 * Finishing each table as soon as its rows are in, while the next table is generated: its primary
 * and unique keys, its indexes, the foreign keys whose both tables are finished, and ANALYZE, sent
 * on the run's connection behind its COPY as one multi-statement message (one round trip: the
 * engine's thread answers the server only between batches) and not waited for. The server builds
 * them while the engine generates the next table into that table's (queued) COPY stream, so
 * generation and the database's key and index work overlap instead of following each other; all
 * of it stays inside the run's one transaction.
 *
 * Left for the commit (in the usual order): tables with cycle-breaking columns (their keys and
 * indexes come after the UPDATE that sets those columns, so it does not maintain them row by row),
 * foreign keys touching such a table or a table outside the plan, and anything of a table outside
 * the plan (a partitioned parent whose partitions are loaded, say).
 *
 * A statement that fails is reported at the sink's next call with the context it had ("re-creating
 * index … on …"); the transaction is then aborted, so every statement queued after it fails too and
 * only the first error counts. The commit waits for `settled` first (the step "finishing loaded
 * tables"); a rollback first cancels what is queued (the sink), so an abort does not wait for an
 * index build.
 */
import type { QueryResultLike } from './client.js';
import { restoreOrder, restoreStatement, type SetAside } from './constraints.js';

type Query = (sql: string, values?: unknown[]) => Promise<QueryResultLike>;

/** Oid of each planned table (dataset name, SQL relation) as the catalog has it now; tables that do not exist are absent. */
export async function plannedOids(q: Query, tables: readonly (readonly [string, string])[]): Promise<Map<string, string>> {
  const r = await q('SELECT t.n AS name, to_regclass(t.r)::int8::text AS oid FROM unnest($1::text[], $2::text[]) AS t(n, r)', [tables.map((t) => t[0]), tables.map((t) => t[1])]);
  const oids = new Map<string, string>();
  for (const row of r.rows) if (row.oid !== null) oids.set(String(row.name), String(row.oid));
  return oids;
}

export interface EarlyFinishOptions {
  q: Query;
  /** What was set aside, with oids (constraints.ts). */
  items: readonly SetAside[];
  /** Oid of each planned table, by dataset name. */
  oids: ReadonlyMap<string, string>;
  /** Tables finished only at commit (cycle-breaking columns). */
  late: ReadonlySet<string>;
  /** The error to report for a failed statement (the sink's error mapping). */
  error: (e: unknown, context: string) => unknown;
  /** Told once, at the first failure (the sink releases a COPY that waits for its turn). */
  onFailure?: (e: unknown) => void;
}

export class EarlyFinish {
  /** Items re-created already (or queued to be). */
  private readonly sent = new Set<SetAside>();
  /** Oids of the planned tables whose rows are all in (and, unless late, their keys queued). */
  private readonly finished = new Set<string>();
  private readonly planned: Set<string>;
  /** Tables analysed early (ANALYZE at commit skips them). */
  readonly analysed = new Set<string>();
  /** The first failure of a queued statement. */
  failure: unknown;
  /** The last queued statement: the connection runs them in order, so it settles last. */
  private last: Promise<void> = Promise.resolve();
  /** What each queued statement works on, oldest (running) first: the detail `settled` reports. */
  private readonly queue: string[] = [];
  private ticks = 0;
  private tick: ((n: number, detail?: string) => void) | undefined;

  constructor(private readonly o: EarlyFinishOptions) {
    this.planned = new Set(o.oids.values());
  }

  /** Statements queued or running. */
  get queued(): number {
    return this.queue.length;
  }

  /** Whether statements are still queued or running. */
  get pending(): boolean {
    return this.queue.length > 0;
  }

  private settle(): void {
    this.queue.shift();
    this.ticks++;
    this.tick?.(this.ticks, this.queue[0]);
  }

  /** Items not sent yet, in restore order: what the commit still re-creates. */
  get remaining(): SetAside[] {
    return restoreOrder(this.o.items.filter((s) => !this.sent.has(s)));
  }

  /** Waits, in the connection's order, for a statement already queued (a COPY's end). */
  track(p: Promise<void>, context: string | ((e: unknown) => string), detail: string): void {
    this.queue.push(detail);
    this.last = p.then(() => undefined, (e: unknown) => this.fail(e, typeof context === 'string' ? context : context(e))).finally(() => this.settle());
  }

  private fail(e: unknown, context: string): void {
    if (this.failure !== undefined) return;
    this.failure = this.o.error(e, context);
    this.o.onFailure?.(this.failure);
  }

  /** Throws the first failure, if any. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Table `name` has all its rows (its COPY is queued or done): queues its keys and indexes, the
   * foreign keys that became possible, and ANALYZE of it (`rel`), unless it is finished late.
   */
  tableDone(name: string, rel: string): void {
    const oid = this.o.oids.get(name);
    if (oid === undefined || this.o.late.has(name)) return;
    this.finished.add(oid);
    const ready = (s: SetAside): boolean => {
      if (this.sent.has(s) || s.tableOid === undefined || !this.finished.has(s.tableOid)) return false;
      if (s.kind !== 'fk') return s.tableOid === oid;
      return s.refOid !== undefined && this.planned.has(s.refOid) && this.finished.has(s.refOid);
    };
    const items = restoreOrder(this.o.items.filter(ready));
    for (const s of items) this.sent.add(s);
    this.analysed.add(name);
    // One message for all of them: the server runs them back to back, without waiting for this
    // process to answer each result (it may be busy generating the next table). The first that
    // fails ends the message; its error names the constraint or index when it is one of them.
    const sql = [...items.map((s) => restoreStatement(s)), `ANALYZE ${rel}`].join(';\n');
    const context = (e: unknown): string => {
      const named = (e as { constraint?: unknown } | undefined)?.constraint;
      const s = items.find((x) => x.name === named);
      if (!s) return `finishing table ${rel} (${items.length ? 'its keys, indexes, foreign keys and ' : ''}ANALYZE)`;
      return `re-creating ${s.kind === 'index' ? `index ${s.name} on ${s.table}` : `${s.kind === 'fk' ? 'foreign key ' : ''}${s.name} on ${s.table} (${s.definition})`}`;
    };
    this.track(this.o.q(sql).then(() => undefined), context, `table ${name}`);
  }

  /**
   * Waits for everything queued; throws the first failure. `tick` hears each statement that ends
   * (how many ended since this call, and what runs now).
   */
  async settled(tick?: (n: number, detail?: string) => void): Promise<void> {
    const base = this.ticks;
    this.tick = tick ? (n, d) => tick(n - base, d) : undefined;
    tick?.(0, this.queue[0]);
    try {
      await this.last;
    } finally {
      this.tick = undefined;
    }
    this.check();
  }
}
