/**
 * The one state machine every sink runs: new → open → committed, or → aborted from any point.
 *
 * - `open` runs once; if preparing fails, the sink undoes what it did and the error is rethrown.
 * - `commit` runs once (exactly one completion); a failure while committing aborts, then rethrows.
 * - `abort` is idempotent: concurrent and repeated calls share one undo; an undo that fails is
 *   retried by the next call; after a successful commit it does nothing; before `open` it only
 *   marks the sink aborted (nothing was written), and `open` is refused afterwards.
 * - an abort during `commit` first asks the sink to `interrupt` it (a database cancels the statement
 *   running before its COMMIT); a commit that completes anyway is kept, else the undo runs.
 * - `undone` says, after an abort, what the undo did (one phrase for people, e.g. "rolled back"),
 *   or, when the undo failed, what it could not undo (the undo's error message: what is left, and how
 *   to remove it), so the run's error can say so.
 */
import { SeedpipeError } from '../errors.js';

export type SinkState = 'new' | 'open' | 'committing' | 'committed' | 'aborted';

export interface LifecycleOptions {
  /** The sink's name, for messages. */
  sink: string;
  /** Code of the error a call in the wrong state throws. Default `SINK_STATE`. */
  stateCode?: string;
  /** Undoes everything the run wrote (rollback, delete temp files, abort uploads). */
  undo: (reason: unknown) => Promise<string | void>;
  /** Stops a commit in progress if it has not reached its point of no return (default: let it finish). */
  interrupt?: (reason: unknown) => void;
}

export class SinkLifecycle {
  #state: SinkState = 'new';
  #aborting: Promise<void> | undefined;
  #committing: Promise<unknown> | undefined;
  /** Why the sink was aborted: the cause of the state error a later call gets. */
  #reason: unknown;
  #undone: string | undefined;

  constructor(private readonly o: LifecycleOptions) {}

  get state(): SinkState {
    return this.#state;
  }

  /** After an abort: what the undo did, as the sink described it. */
  get undone(): string | undefined {
    return this.#undone;
  }

  /** Runs `prepare` (new → open). A failure aborts the sink and rethrows. */
  async open(prepare: () => Promise<void>): Promise<void> {
    if (this.#state !== 'new') throw this.stateError('open');
    this.#state = 'open';
    try {
      await prepare();
    } catch (e) {
      await this.abort(e).catch(() => undefined);
      throw e;
    }
  }

  /** Throws the sink's state error unless it is open (tables may be written). */
  assertOpen(action: string): void {
    if (this.#state !== 'open') throw this.stateError(action);
  }

  /** Runs `finish` once (open → committed). A failure aborts the sink and rethrows. */
  async commit<T>(finish: () => Promise<T>): Promise<T> {
    this.assertOpen('commit');
    this.#state = 'committing';
    const p = finish();
    this.#committing = p;
    try {
      const out = await p;
      this.#state = 'committed';
      return out;
    } catch (e) {
      this.#state = 'open';
      await this.abort(e).catch(() => undefined);
      throw e;
    } finally {
      this.#committing = undefined;
    }
  }

  abort(reason: unknown): Promise<void> {
    if (this.#state === 'committed') return Promise.resolve();
    if (!this.#aborting) {
      this.#aborting = this.runUndo(reason).catch((e: unknown) => {
        this.#aborting = undefined;
        throw e;
      });
    }
    return this.#aborting;
  }

  private async runUndo(reason: unknown): Promise<void> {
    // A commit in progress settles first: once it succeeded there is nothing to undo.
    if (this.#committing) {
      this.o.interrupt?.(reason);
      await this.#committing.catch(() => undefined);
    }
    if (this.#state === 'committed') return;
    const wasNew = this.#state === 'new';
    this.#state = 'aborted';
    this.#reason ??= reason;
    if (wasNew) return;
    try {
      this.#undone = (await this.o.undo(reason)) ?? undefined;
    } catch (e) {
      this.#undone = `not everything could be undone: ${e instanceof Error ? e.message : String(e)}`;
      throw e;
    }
  }

  private stateError(action: string): SeedpipeError {
    const why = { new: 'not open yet (call open first)', open: 'open', committing: 'committing', committed: 'already committed', aborted: 'aborted' }[this.#state];
    const because = this.#state === 'aborted' && this.#reason instanceof Error ? ` (${this.#reason.message})` : '';
    return new SeedpipeError(this.o.stateCode ?? 'SINK_STATE', `${action}: the ${this.o.sink} sink is ${why}${because}`, {
      data: { sink: this.o.sink, state: this.#state, action },
      ...(this.#state === 'aborted' && this.#reason !== undefined ? { cause: this.#reason } : {}),
    });
  }
}
