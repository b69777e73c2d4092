/**
 * Reporting the steps of a stage to a `RunObserver`: `step` brackets one piece of work with its
 * `start` and `end` events (`end` also when it throws), and hands it a `tick` for countable work.
 * Without an observer every call is a no-op, so stages report unconditionally.
 */
import type { RunObserver } from '../contracts.js';

export type Tick = (done: number, detail?: string) => void;

export class Phases {
  constructor(private readonly stage: string, private observer: RunObserver | undefined = undefined) {}

  /** Sets (or replaces) the observer: a sink receives it in `open`. */
  observe(observer: RunObserver | undefined): void {
    this.observer = observer;
  }

  /** Runs `work` as the step `phase` (of `total` units when countable). */
  async step<T>(phase: string, work: (tick: Tick) => Promise<T>, total?: number): Promise<T> {
    const o = this.observer;
    if (!o) return work(() => undefined);
    const stage = this.stage;
    const counted = total === undefined ? {} : { total };
    o.phase({ stage, phase, state: 'start', ...counted, ...(total !== undefined ? { done: 0 } : {}) });
    let done = 0;
    const end = (failed: boolean): void => o.phase({ stage, phase, state: 'end', ...counted, ...(total !== undefined ? { done } : {}), ...(failed ? { failed } : {}) });
    let result: T;
    try {
      result = await work((n, detail) => {
        done = n;
        o.phase({ stage, phase, state: 'progress', done: n, ...counted, ...(detail !== undefined ? { detail } : {}) });
      });
    } catch (e) {
      end(true);
      throw e;
    }
    end(false);
    return result;
  }
}
