/**
 * In-memory stages for pipeline tests: a source set over literal rows, an encoder that counts its
 * work, and a sink that records every call (and can be slowed or made to fail).
 */
import type {
  Batch, Encoder, RunInfo, Sink, SinkBatch, SinkInput, SinkSummary, Source, SourceRequest, SourceSet, TableEncoder, TableInfo, TableResult, TableStream, TableWriter, Values,
} from '../../src/index.js';

export function info(name: string, columns: string[], opts: { hidden?: string[] } = {}): TableInfo {
  return {
    name,
    columns: columns.map((c) => ({ name: c, type: 'text', nullable: true, exported: !(opts.hidden ?? []).includes(c), deferred: false })),
    primaryKey: [columns[0]!], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 0, firstRow: 0,
  };
}

export function runOf(tables: readonly TableInfo[]): RunInfo {
  return {
    dataset: 'fake', seed: 1, profile: 'p', scale: 1, refDate: '2025-01-01T00:00:00Z', startedAt: '2025-01-01T00:00:00Z',
    versions: { seedpipe: '0', faker: '0', node: process.version }, tables,
  };
}

/** `a|b|c` lines of the listed columns: a trivial, visible encoding. */
export class CountingEncoder implements Encoder {
  encodeCalls = 0;
  constructor(
    readonly format: string,
    private readonly pick: (info: TableInfo) => number[] = (t) => t.columns.map((_, j) => j),
  ) {}

  forTable(t: TableInfo): TableEncoder {
    const cols = this.pick(t);
    const line = (v: Values): string => cols.map((j) => String(v[j] ?? '')).join('|') + '\n';
    return {
      identity: `pipe:${cols.join(',')}`,
      header: Buffer.from(`# ${this.format} ${t.name}\n`),
      trailer: () => Buffer.from(`# end ${t.name}\n`),
      line: (v) => line(v),
      encode: (rows) => {
        this.encodeCalls++;
        return Buffer.from(rows.map(line).join(''));
      },
    };
  }
}

/** Literal rows per table, in batches; records what it was asked and how far it got. */
export class ArraySources implements SourceSet {
  readonly name = 'arrays';
  readonly tables: ArraySource[];
  opened = 0;
  closed = 0;
  constructor(data: readonly { info: TableInfo; rows: Values[] }[], private readonly opts: { makesEncodings?: boolean; fail?: Error } = {}) {
    this.tables = data.map((d) => new ArraySource(d.info, d.rows, opts.makesEncodings ?? false));
  }

  async open(): Promise<void> {
    this.opened++;
    if (this.opts.fail) throw this.opts.fail;
  }

  async close(): Promise<void> {
    this.closed++;
  }
}

export class ArraySource implements Source {
  readonly requests: SourceRequest[] = [];
  /** Batches handed out so far. */
  yielded = 0;
  constructor(readonly info: TableInfo, private readonly data: Values[], private readonly makesEncodings: boolean) {}

  get rows(): number {
    return this.data.length;
  }

  encodes(_e: Encoder, table: TableEncoder): boolean {
    return this.makesEncodings && typeof table.line === 'function';
  }

  async *batches(req: SourceRequest): AsyncGenerator<Batch> {
    this.requests.push(req);
    for (let s = 0; s < this.data.length; s += req.batchRows) {
      const rows = this.data.slice(s, s + req.batchRows);
      const encoded = new Map<string, Buffer>();
      for (const e of req.encode) encoded.set(e.encoder.format, Buffer.from(rows.map((r, i) => e.table.line!(r, s + i)).join('')));
      this.yielded++;
      yield { table: this.info.name, start: s, count: rows.length, rows: req.rows ? rows : undefined, encoded };
    }
  }
}

export interface Recorded {
  events: string[];
  batches: Map<string, SinkBatch[]>;
  streams: Map<string, TableStream>;
  infos: Map<string, TableInfo>;
  run?: RunInfo;
}

/** A sink that records calls; `gate` holds writes until released; `failAt` throws on the n-th write. */
export class RecordingSink implements Sink {
  readonly rec: Recorded = { events: [], batches: new Map(), streams: new Map(), infos: new Map() };
  aborted: unknown[] = [];
  committed = 0;
  inFlight = 0;
  maxInFlight = 0;
  private writes = 0;
  private gates: (() => void)[] = [];
  holding = false;

  constructor(
    readonly name: string,
    private readonly want: SinkInput | ((t: TableInfo) => SinkInput),
    private readonly opts: { failAt?: number; failOpen?: boolean } = {},
  ) {}

  input(t: TableInfo): SinkInput {
    return typeof this.want === 'function' ? this.want(t) : this.want;
  }

  async open(run: RunInfo): Promise<void> {
    this.rec.run = run;
    this.rec.events.push(`${this.name}:open`);
    if (this.opts.failOpen) throw new Error(`${this.name} cannot open`);
  }

  async table(t: TableInfo, stream: TableStream): Promise<TableWriter> {
    this.rec.events.push(`${this.name}:table:${t.name}`);
    this.rec.streams.set(t.name, stream);
    this.rec.infos.set(t.name, t);
    const list: SinkBatch[] = [];
    this.rec.batches.set(t.name, list);
    return {
      write: async (b) => {
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          if (++this.writes === this.opts.failAt) throw new Error(`${this.name} failed at write ${this.writes}`);
          if (this.holding) await new Promise<void>((r) => this.gates.push(r));
          list.push(b);
          this.rec.events.push(`${this.name}:write:${t.name}:${b.start}`);
        } finally {
          this.inFlight--;
        }
      },
      close: async (): Promise<TableResult> => {
        this.rec.events.push(`${this.name}:close:${t.name}`);
        return { table: t.name, rows: list.reduce((a, b) => a + b.count, 0), bytes: list.reduce((a, b) => a + b.bytes.length, 0) };
      },
    };
  }

  /** Releases the writes waiting at the gate. */
  release(): void {
    const g = this.gates;
    this.gates = [];
    g.forEach((f) => f());
  }

  async commit(results: readonly TableResult[]): Promise<SinkSummary> {
    this.committed++;
    this.rec.events.push(`${this.name}:commit`);
    return { sink: this.name, location: 'memory', tables: results };
  }

  async abort(reason: unknown): Promise<void> {
    this.aborted.push(reason);
    this.rec.events.push(`${this.name}:abort`);
  }
}
