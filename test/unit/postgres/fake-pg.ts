/**
 * A fake Postgres client that speaks just enough of pg's COPY protocol (the calls pg makes on a
 * pg-copy-streams stream) and of a transaction: rows COPYed inside BEGIN … COMMIT become visible at
 * COMMIT, and vanish on ROLLBACK or when the connection closes first. No I/O.
 */
import { Writable } from 'node:stream';
import type { TableInfo } from '../../../src/index.js';
import type { PgClientLike, QueryResultLike } from '../../../stages/sinks/postgres/index.js';

interface CopyStreamInternals {
  text: string;
  submit(connection: unknown): void;
  handleCopyInResponse(connection: unknown): void;
  handleCommandComplete(msg: { text: string }): void;
  handleReadyForQuery(): void;
  handleError(e: Error): void;
}

export class FakePg {
  readonly queries: string[] = [];
  readonly copied: Buffer[] = [];
  copyFails = 0;
  ends = 0;
  nonEmpty = false;
  /** Tables the catalog reports (each column as text, nullable, except the first: bigint NOT NULL). */
  tables: TableInfo[] = [T];
  /** Answer `SELECT to_regclass(…)` (a prepared sharded load) with true. */
  prepared = false;
  /** Another session holding the run lock (`pg_try_advisory_lock` answers false; the holder query answers this). */
  lockHolder: { pid: number; app: string; addr: string | null; since: string } | undefined;
  /** COPY data arrives only on release while held (a slow server). */
  private held: (() => void)[] | undefined;
  /** The next statement or COPY chunk fails with this error. */
  private failure: Error | undefined;
  private pending: Buffer[] = [];
  private inTransaction = false;
  /** Rows visible to other sessions (committed COPY data, one line per row). */
  readonly committed: string[] = [];
  private errorListeners: ((e: Error) => void)[] = [];

  client(): PgClientLike {
    return {
      query: ((arg: unknown) => this.query(arg)) as PgClientLike['query'],
      end: async () => {
        this.ends++;
        this.pending = [];
        this.inTransaction = false;
      },
      on: (_event: 'error', l: (e: Error) => void) => { this.errorListeners.push(l); },
    } as PgClientLike;
  }

  /** The connection reports an error (as pg does when the server goes away). */
  fail(e: Error): void {
    for (const l of this.errorListeners) l(e);
  }

  /** The next statement or COPY data fails with `e` (a raw server error). */
  failNext(e: Error): void {
    this.failure = e;
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const h = this.held ?? [];
    this.held = undefined;
    h.forEach((f) => f());
  }

  private query(arg: unknown): Promise<QueryResultLike> | unknown {
    if (typeof arg === 'string') {
      const text = arg.replace(/\s+/g, ' ').trim();
      this.queries.push(text);
      const failure = this.failure;
      this.failure = undefined;
      if (failure) return Promise.reject(failure);
      if (/^BEGIN/.test(text)) this.inTransaction = true;
      if (/^COMMIT/.test(text)) {
        this.committed.push(...this.pending.map((b) => b.toString()).join('').split('\n').filter(Boolean));
        this.pending = [];
        this.inTransaction = false;
      }
      if (/^ROLLBACK/.test(text)) {
        this.pending = [];
        this.inTransaction = false;
      }
      return Promise.resolve({ rows: this.answer(arg), rowCount: 0 });
    }
    const stream = arg as CopyStreamInternals;
    this.queries.push(stream.text);
    let rows = 0;
    let expectData = false;
    const connection = {
      query: (_text: string) => undefined, // pg sends the COPY statement; the fake answers CopyInResponse below
      stream: new Writable({
        highWaterMark: 1024,
        write: (chunk: Buffer, _enc, cb) => {
          if (expectData) {
            const failure = this.failure;
            this.failure = undefined;
            if (failure) {
              setImmediate(() => stream.handleError(failure));
              cb();
              return;
            }
            this.copied.push(Buffer.from(chunk));
            if (this.inTransaction) this.pending.push(Buffer.from(chunk));
            rows += chunk.toString().split('\n').length - 1;
            expectData = false;
          } else if (chunk[0] === 0x64) {
            expectData = true; // CopyData header; the payload is the next write
          } else if (chunk[0] === 0x63) {
            setImmediate(() => { stream.handleCommandComplete({ text: `COPY ${rows}` }); stream.handleReadyForQuery(); }); // CopyDone
          }
          if (this.held) this.held.push(() => cb());
          else cb();
        },
      }),
      sendCopyFail: (msg: string) => {
        this.copyFails++;
        setImmediate(() => stream.handleError(new Error(`COPY from stdin failed: ${msg}`)));
      },
    };
    stream.submit(connection);
    setImmediate(() => stream.handleCopyInResponse(connection));
    return stream;
  }

  private answer(text: string): Record<string, unknown>[] {
    if (/to_regclass/.test(text)) return [{ ok: this.prepared }];
    if (/SELECT w.label AS name, c.relkind::text AS kind FROM/.test(text)) return this.tables.map((t) => ({ name: t.name, kind: 'r' }));
    if (/format_type/.test(text)) {
      return this.tables.flatMap((t) => t.columns.map((c, j) => ({
        table: t.name, column: c.name, type: j === 0 ? 'bigint' : 'text', typtype: 'b', enumLabels: null, notNull: j === 0, hasDefault: false, identity: '', generated: '',
      })));
    }
    if (/WHERE EXISTS/.test(text)) return this.nonEmpty ? [{ i: 0 }] : [];
    if (/pg_try_advisory_lock/.test(text)) return [{ ok: this.lockHolder === undefined }];
    if (/FROM pg_locks/.test(text)) return this.lockHolder ? [this.lockHolder] : [];
    return [];
  }
}

/** `t(id bigint, name text)`, the table the Postgres sink tests load. */
export const T: TableInfo = {
  name: 't',
  columns: [
    { name: 'id', type: 'bigint', nullable: false, exported: true, deferred: false },
    { name: 'name', type: 'text', nullable: true, exported: true, deferred: false },
  ],
  primaryKey: ['id'], foreignKeys: [], uniques: [], indexes: [], checks: [], exported: true, rows: 2, firstRow: 0,
};
