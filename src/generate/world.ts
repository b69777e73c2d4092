/**
 * A World is one resolved dataset ready to compute rows: one Faker (with an injected randomizer)
 * and one runtime per table. Each worker thread builds its own World from the same inputs, so all
 * of them compute identical rows.
 */
import type { Faker } from '@faker-js/faker';
import { SeedpipeError } from '../errors.js';
import { createFaker, SwitchableRandomizer } from '../random/faker.js';
import type { DatasetDef, Params } from '../dataset/types.js';
import type { GroupCounts } from './group-index.js';
import { TableRuntime } from './table.js';
import { makeLexicon, type Lexicon } from './text.js';

export interface Resolved {
  def: DatasetDef;
  seed: number;
  profile: string;
  scale: number;
  params: Params;
  /** New row counts of `rows` tables (group tables derive theirs from their parents). */
  rows: Readonly<Record<string, number>>;
  /**
   * Rows that already exist before this run, per `rows` table (append mode): new rows take the
   * indexes after them, so keys continue after the existing ones. Default 0.
   */
  offsets?: Readonly<Record<string, number>>;
}

export class World {
  readonly randomizer = new SwitchableRandomizer();
  readonly faker: Faker;
  readonly refDate: Date;
  readonly words: readonly string[];
  readonly lexicon: Lexicon;
  readonly seed: number;
  readonly params: Params;
  private readonly tables = new Map<string, TableRuntime>();
  private readonly memos = new Map<string, unknown>();

  /**
   * `counts` are group tables' counts another World of the same `resolved` built (`sharedCounts`):
   * a worker thread takes them instead of counting every parent's group again.
   */
  constructor(
    readonly resolved: Resolved,
    private readonly counts: Readonly<Record<string, GroupCounts>> = {},
  ) {
    this.faker = createFaker(this.randomizer);
    this.refDate = new Date(resolved.def.refDate);
    this.seed = resolved.seed;
    this.params = Object.freeze({ ...resolved.params });
    const words = this.faker.definitions.lorem?.word;
    this.words = Array.isArray(words) && words.length > 0 ? words : ['lorem', 'ipsum', 'dolor', 'sit', 'amet'];
    this.lexicon = makeLexicon(this.words);
    for (const [name, def] of Object.entries(resolved.def.tables)) this.tables.set(name, new TableRuntime(this, name, def));
  }

  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  tryTable(name: string): TableRuntime | undefined {
    return this.tables.get(name);
  }

  table(name: string): TableRuntime {
    const t = this.tables.get(name);
    if (!t) throw new SeedpipeError('UNKNOWN_TABLE', `unknown table "${name}"; known tables: ${this.tableNames().join(', ')}`, { disposition: 'usage' });
    return t;
  }

  /** @internal The counts given for table `name` (TableRuntime takes them at construction). */
  givenCounts(name: string): GroupCounts | undefined {
    return this.counts[name];
  }

  /**
   * The group tables' counts built so far, on shared memory: structured-cloned into a worker they
   * stay one copy, and that worker's World takes them (no pass over the parents there).
   */
  sharedCounts(): Record<string, GroupCounts> {
    const out: Record<string, GroupCounts> = {};
    for (const [name, t] of this.tables) {
      const c = t.groupCounts();
      if (!c) continue;
      const shared = new Float64Array(new SharedArrayBuffer(c.checkpoints.byteLength));
      shared.set(c.checkpoints);
      out[name] = { checkpoints: shared, total: c.total };
    }
    return out;
  }

  /**
   * What gives `table` at least `need` rows, for messages: `--set` and the smallest `--scale` that
   * does for a `rows` table, the tables it depends on for a group table.
   */
  howToGetRows(table: string, need: number): string {
    const def = this.resolved.def.tables[table];
    const rows = `${need} row${need === 1 ? '' : 's'}`;
    if (!def || def.rows === undefined) return `raise --scale or the row counts of the tables ${table} depends on, so that it has at least ${rows}`;
    if (def.catalog) return `${table} is a catalog of ${def.rows} rows the dataset defines`;
    const profile = this.resolved.def.profiles?.[this.resolved.profile];
    const base = (profile?.rows?.[table] ?? def.rows) * (profile?.scale ?? 1);
    // rows = round(base × scale) ≥ need  ⇔  scale ≥ (need − 0.5) / base; rounded up to two figures.
    const min = base > 0 ? (need - 0.5) / base : Infinity;
    const digits = Number.isFinite(min) && min > 0 ? Math.max(0, 1 - Math.floor(Math.log10(min))) : 0;
    const scale = Number.isFinite(min) ? ` or --scale ${(Math.ceil(min * 10 ** digits) / 10 ** digits).toString()} or more` : '';
    return `give ${table} at least ${rows} (--set ${table}.rows=${need}${scale})`;
  }

  /** Rows of a `rows` table in the run's universe: existing (offset) plus new. */
  rowCount(name: string): number {
    return (this.resolved.offsets?.[name] ?? 0) + (this.resolved.rows[name] ?? 0);
  }

  /** Per-World cache for `c.memo`. */
  memo<T>(key: string, build: () => T): T {
    // One lookup on the hot path (helpers call this per row); `has` only for a memo of undefined.
    const v = this.memos.get(key);
    if (v !== undefined || this.memos.has(key)) return v as T;
    const built = build();
    this.memos.set(key, built);
    return built;
  }

  offset(name: string): number {
    return this.resolved.offsets?.[name] ?? 0;
  }
}
