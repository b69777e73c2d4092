/** A counting semaphore whose `acquire` can be abandoned through a signal. */
export class Slots {
  #free: number;
  readonly #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  constructor(n: number) {
    this.#free = n;
  }

  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => { signal.removeEventListener('abort', onAbort); resolve(); },
        reject,
      };
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next.resolve();
    else this.#free++;
  }
}
