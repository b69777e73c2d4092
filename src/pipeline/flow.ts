/**
 * The plumbing of one table: its source, one branch per distinct chain of transforms (sinks with the
 * same chain share a branch), and per branch the encodings its sinks asked for, each made once per
 * batch. The branch without transforms may take its encodings from the source (the generator's fast
 * path); every other encoding is made here, from row values.
 */
import type {
  Batch, Encoder, Sink, SinkBatch, SinkInput, Source, SourceRequest, TableEncoder, TableInfo, TableStream, TableTransform, TableWriter, Transform, Values,
} from '../contracts.js';
import { SeedpipeError, usageError } from '../errors.js';

const EMPTY = Buffer.alloc(0);

/** One sink and the transforms between the source and it. */
export interface Leg {
  sink: Sink;
  chain: readonly Transform[];
}

interface Encoding {
  table: TableEncoder;
  /** The format of the encoder that made `table` (formats sharing an identity differ only in header). */
  format: string;
  /** The stream sinks of that format receive (one trailer for all of them). */
  stream: TableStream;
  /** The encoder, when the source makes this encoding (keyed in `Batch.encoded` by its format). */
  fromSource?: Encoder;
}

interface Target {
  sink: Sink;
  input: SinkInput;
  /** Identity of the encoding the sink receives. */
  identity: string | undefined;
  stream: TableStream;
  writer?: TableWriter;
}

interface Branch {
  /** The transforms that apply to this table, in order (what sinks are grouped by). */
  applied: readonly Transform[];
  steps: readonly TableTransform[];
  info: TableInfo;
  /** Encodings by identity. */
  encodings: Map<string, Encoding>;
  targets: Target[];
}

/** The output shape of `info` through `chain`, and the per-table transforms that apply. */
export function throughChain(info: TableInfo, chain: readonly Transform[]): { applied: Transform[]; steps: TableTransform[]; info: TableInfo } {
  const applied: Transform[] = [];
  const steps: TableTransform[] = [];
  let current = info;
  for (const t of chain) {
    const step = t.forTable(current);
    if (!step) continue;
    applied.push(t);
    steps.push(step);
    current = step.info;
  }
  return { applied, steps, info: current };
}

export class TableFlow {
  readonly info: TableInfo;
  private readonly branches: Branch[] = [];
  /** The encoding whose bytes progress and stats count: `csv` when asked for, else the first asked. */
  private statsOf: { branch: Branch; identity: string; csv: boolean } | undefined;

  constructor(
    readonly source: Source,
    legs: readonly Leg[],
    encoders: ReadonlyMap<string, Encoder>,
    /** The sinks a write or close still waits for (empty: none), each time that set changes. */
    private readonly onWaiting?: (sinks: readonly string[], action: 'write' | 'close') => void,
  ) {
    this.info = source.info;
    for (const leg of legs) {
      const through = throughChain(source.info, leg.chain);
      let branch = this.branches.find((b) => sameList(b.applied, through.applied));
      if (!branch) {
        branch = { applied: through.applied, steps: through.steps, info: through.info, encodings: new Map(), targets: [] };
        this.branches.push(branch);
      }
      const asked = leg.sink.input(branch.info);
      const input: SinkInput = asked.orElse !== undefined && secondBetter(asked, branch, source, encoders) ? { ...asked, format: asked.orElse } : asked;
      let identity: string | undefined;
      let table: TableEncoder | undefined;
      if (input.format !== undefined) {
        const encoder = encoders.get(input.format);
        if (!encoder) {
          throw usageError('ENCODER_UNKNOWN', `sink ${leg.sink.name} asks for the ${input.format} encoding of table ${branch.info.name}, which no encoder of this run makes; known: ${[...encoders.keys()].join(', ') || 'none'}`, { sink: leg.sink.name, format: input.format });
        }
        table = encoder.forTable(branch.info);
        identity = table.identity;
        const known = branch.encodings.get(identity);
        if (!known) {
          const fromSource = branch.steps.length === 0 && source.encodes?.(encoder, table) === true ? encoder : undefined;
          branch.encodings.set(identity, { table, format: encoder.format, stream: streamOf(input.format, table), ...(fromSource ? { fromSource } : {}) });
        } else if (known.format === encoder.format) {
          // Sinks of one format share its encoder too: a stateful one (parquet) makes its trailer from
          // the batches it saw. Another format of the same bytes keeps its own header (csv's, not copy-csv's).
          table = known.table;
        }
        if (!this.statsOf || (input.format === 'csv' && !this.statsOf.csv)) this.statsOf = { branch, identity, csv: input.format === 'csv' };
      }
      const shared = identity === undefined ? undefined : branch.encodings.get(identity);
      branch.targets.push({ sink: leg.sink, input, identity, stream: shared && shared.table === table ? shared.stream : streamOf(input.format, table) });
    }
  }

  /** The table as each sink sees it (after its transforms). */
  infoFor(sink: Sink): TableInfo {
    return this.branches.find((b) => b.targets.some((t) => t.sink === sink))!.info;
  }

  /** What the pipeline asks of the source. */
  request(batchRows: number): SourceRequest {
    const encode: { encoder: Encoder; table: TableEncoder }[] = [];
    let rows = false;
    for (const b of this.branches) {
      if (b.steps.length > 0 || b.targets.some((t) => t.input.rows === true)) rows = true;
      for (const e of b.encodings.values()) {
        if (e.fromSource) encode.push({ encoder: e.fromSource, table: e.table });
        else rows = true;
      }
    }
    return { batchRows, rows, encode };
  }

  /** Opens every sink's writer for this table (concurrently, as sinks are independent). */
  async open(): Promise<void> {
    const targets = this.branches.flatMap((b) => b.targets.map((t) => ({ t, info: b.info })));
    const writers = await Promise.all(targets.map(({ t, info }) => t.sink.table(info, t.stream)));
    targets.forEach(({ t }, j) => (t.writer = writers[j]));
  }

  /** Transforms, encodes and writes one batch to every sink; resolves when every sink accepted it. Returns the bytes counted for stats. */
  async write(b: Batch): Promise<number> {
    const payloads: { target: Target; batch: SinkBatch }[] = [];
    let counted = 0;
    for (const branch of this.branches) {
      let rows = b.rows;
      for (const step of branch.steps) rows = await step.apply(this.need(rows, b), b.start);
      const count = branch.steps.length ? rows!.length : b.count;
      const bytes = new Map<string, Buffer>();
      for (const [identity, e] of branch.encodings) {
        const made = e.fromSource ? b.encoded.get(e.fromSource.format) : undefined;
        bytes.set(identity, made ?? e.table.encode(this.need(rows, b), b.start));
      }
      if (this.statsOf?.branch === branch) counted = bytes.get(this.statsOf.identity)!.length;
      for (const target of branch.targets) {
        const batch: SinkBatch = {
          table: b.table, start: b.start, count,
          rows: target.input.rows ? this.need(rows, b) : undefined,
          bytes: target.identity === undefined ? EMPTY : bytes.get(target.identity)!,
        };
        payloads.push({ target, batch });
      }
    }
    // Every payload is ready before the first write starts: a failing transform or encoder leaves no write behind.
    await this.tracked(payloads.map((p) => [p.target.sink.name, () => p.target.writer!.write(p.batch)]), 'write');
    return counted;
  }

  /** Closes every writer; results in the order of `sinks`. */
  async close(sinks: readonly Sink[]): Promise<Map<Sink, Awaited<ReturnType<TableWriter['close']>>>> {
    const targets = this.branches.flatMap((b) => b.targets);
    const results = await this.tracked(targets.map((t) => [t.sink.name, () => t.writer!.close()]), 'close');
    const out = new Map<Sink, Awaited<ReturnType<TableWriter['close']>>>();
    for (const s of sinks) out.set(s, results[targets.findIndex((t) => t.sink === s)]!);
    return out;
  }

  /** Runs the calls together, telling `onWaiting` which sinks are still busy. */
  private async tracked<T>(calls: readonly (readonly [string, () => Promise<T>])[], action: 'write' | 'close'): Promise<T[]> {
    const report = this.onWaiting;
    if (!report) return Promise.all(calls.map(([, f]) => f()));
    const pending = new Map<string, number>();
    for (const [name] of calls) pending.set(name, (pending.get(name) ?? 0) + 1);
    report([...pending.keys()], action);
    try {
      return await Promise.all(calls.map(async ([name, f]) => {
        try {
          return await f();
        } finally {
          const n = pending.get(name)! - 1;
          if (n === 0) pending.delete(name);
          else pending.set(name, n);
          report([...pending.keys()], action);
        }
      }));
    } finally {
      report([], action);
    }
  }

  private need(rows: readonly Values[] | undefined, b: Batch): readonly Values[] {
    if (rows) return rows;
    throw new SeedpipeError('SOURCE_NO_ROWS', `the source of table ${b.table} yielded the batch at row ${b.start} without row values, which this run needs`, { data: { table: b.table, start: b.start } });
  }
}

/**
 * Whether a sink gets its second choice (`SinkInput.orElse`): when no encoder of the run makes its
 * first, or when the source makes the second itself and not the first (bytes passed through, e.g. a
 * Postgres source's CSV, beat values parsed and encoded again).
 */
function secondBetter(asked: SinkInput, branch: Branch, source: Source, encoders: ReadonlyMap<string, Encoder>): boolean {
  const first = asked.format === undefined ? undefined : encoders.get(asked.format);
  const second = encoders.get(asked.orElse!);
  if (!second) return false;
  if (!first) return true;
  if (branch.steps.length > 0 || !source.encodes) return false;
  return source.encodes(second, second.forTable(branch.info)) && !source.encodes(first, first.forTable(branch.info));
}

function streamOf(format: string | undefined, table: TableEncoder | undefined): TableStream {
  let trailer: Buffer | undefined;
  return {
    format,
    header: table?.header ?? EMPTY,
    // Asked by each sink that writes the stream; made once.
    trailer: () => (trailer ??= table?.trailer?.() ?? EMPTY),
  };
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
