/**
 * The generator as a source: one `Source` per planned table, in dependency order, sharing one
 * BatchMaker and, with workers, one worker pool.
 *
 * Fast path: encodings whose encoder has a `line` or `appendRow` (and, with workers, a `module`) are made while
 * rows are generated, each row appended to off-heap buffers as soon as it exists; with workers the
 * bytes are transferred back without copies. Row values are kept only when a stage asked for them.
 *
 * Memory per table: one batch in this thread; with workers at most 2 × workers batches in flight,
 * returned in order (a slow sink stops new requests).
 */
import { BatchMaker, Phases, preflight, SeedpipeError, WorkerPool, type RunObserver } from '../../../src/stage-kit.js';
import type { Batch, Encoder, Plan, Source, SourceRequest, SourceSet, TableEncoder, TableInfo, TablePlan, WorkerEncoding } from '../../../src/stage-kit.js';
import type { GeneratorOptions } from './options.js';

export class GeneratorSources implements SourceSet {
  readonly name = 'generator';
  readonly tables: readonly Source[];
  private readonly maker: BatchMaker;
  private pool: WorkerPool | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly opts: GeneratorOptions = {},
  ) {
    if ((opts.workers ?? 1) > 1 && !opts.worker) {
      throw new SeedpipeError('GENERATOR_WORKERS_NEED_MODULE', 'workers > 1 need the dataset module path and plan options (GeneratorOptions.worker): each worker loads the dataset itself', { disposition: 'usage' });
    }
    this.maker = new BatchMaker(plan.world);
    this.tables = plan.tables.map((t) => new GeneratedTable(t, this));
  }

  /** Starts the workers (they load and plan while this thread runs the preflight), then the preflight. */
  async open(observer?: RunObserver): Promise<void> {
    const w = this.opts.workers ?? 1;
    const phases = new Phases(this.name, observer);
    if (w > 1) this.pool = new WorkerPool(w, this.opts.worker!.modulePath, this.opts.worker!.planOptions, { counts: this.plan.world.sharedCounts() });
    await phases.step('preflight', async (tick) => preflight(this.plan, this.opts.preflightRows, tick), this.plan.tables.length);
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }

  /** @internal */
  batchMaker(): BatchMaker {
    return this.maker;
  }

  /** @internal */
  workers(): WorkerPool | undefined {
    return this.pool;
  }
}

class GeneratedTable implements Source {
  readonly info: TableInfo;
  readonly rows: number;

  constructor(
    private readonly t: TablePlan,
    private readonly set: GeneratorSources,
  ) {
    this.info = t.info;
    this.rows = t.end - t.start;
  }

  encodes(encoder: Encoder, table: TableEncoder): boolean {
    if (typeof table.line !== 'function' && typeof table.appendRow !== 'function') return false;
    return this.set.workers() === undefined || encoder.module !== undefined;
  }

  async *batches(req: SourceRequest): AsyncGenerator<Batch> {
    const { start, end } = this.t;
    const table = this.info.name;
    const pool = this.set.workers();
    if (!pool) {
      const maker = this.set.batchMaker();
      const encodings = req.encode.map((e) => ({ format: e.encoder.format, table: e.table }));
      for (let s = start; s < end; s += req.batchRows) {
        const b = maker.generate(this.info, s, Math.min(end, s + req.batchRows), req.rows, encodings);
        yield { table, start: b.start, count: b.count, rows: req.rows ? b.rows : undefined, encoded: b.encoded };
        // Let I/O callbacks (socket drains, timers) run between CPU-bound batches.
        await new Promise<void>((r) => setImmediate(r));
      }
      return;
    }
    const encodings: WorkerEncoding[] = req.encode.map((e) => ({ format: e.encoder.format, module: e.encoder.module! }));
    const window = pool.size * 2;
    const inflight: Promise<Awaited<ReturnType<WorkerPool['request']>>>[] = [];
    let next = start;
    const fill = (): void => {
      while (inflight.length < window && next < end) {
        const e = Math.min(end, next + req.batchRows);
        const p = pool.request(table, next, e, req.rows, encodings);
        p.catch(() => undefined); // surfaced when awaited in order
        inflight.push(p);
        next = e;
      }
    };
    fill();
    while (inflight.length) {
      const b = await inflight.shift()!;
      fill();
      yield { table, start: b.start, count: b.count, rows: req.rows ? b.rows : undefined, encoded: b.encoded };
    }
  }
}

/** The generator source of a plan. */
export function generatorSource(plan: Plan, opts: GeneratorOptions = {}): GeneratorSources {
  return new GeneratorSources(plan, opts);
}
