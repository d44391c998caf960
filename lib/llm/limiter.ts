/**
 * A small counting semaphore (FIFO, abortable) and the process-wide registry of one semaphore per
 * provider, so every model of a provider shares that provider's concurrency limit.
 */

/** What a model holds around each HTTP attempt: a Semaphore, or provider-slots.ts's cap over all processes. */
export interface ConcurrencyLimiter {
  /** Waits for a slot and returns its release function; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void>;
}

interface Waiter {
  grant: () => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class Semaphore implements ConcurrencyLimiter {
  #limit: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = checkLimit(limit);
  }

  get limit(): number {
    return this.#limit;
  }

  /** Changing the limit takes effect at once (raising it wakes waiters; lowering it lets running holders finish). */
  set limit(value: number) {
    this.#limit = checkLimit(value);
    this.#pump();
  }

  /** Holders right now. */
  get active(): number {
    return this.#active;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Waits for a slot and returns its release function (calling it twice is harmless). Rejects with
   * the signal's reason if the signal aborts first; the caller then holds nothing.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.#active < this.#limit && this.#queue.length === 0) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { grant: () => resolve(this.#releaser()), signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(abortReason(signal));
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
    });
  }

  /** Runs `task` while holding a slot. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      this.#pump();
    };
  }

  #pump(): void {
    while (this.#active < this.#limit && this.#queue.length > 0) {
      const waiter = this.#queue.shift()!;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.#active++;
      waiter.grant();
    }
  }
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  return limit;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

const globalForLimiters = globalThis as unknown as { ecdProviderLimiters?: Map<string, Semaphore> };

/**
 * The semaphore shared by every model of `provider` in this process. The latest configured limit
 * wins (a changed providers file applies without a restart).
 */
export function providerLimiter(provider: string, limit: number): Semaphore {
  globalForLimiters.ecdProviderLimiters ??= new Map();
  const limiters = globalForLimiters.ecdProviderLimiters;
  let limiter = limiters.get(provider);
  if (!limiter) {
    limiter = new Semaphore(limit);
    limiters.set(provider, limiter);
  } else if (limiter.limit !== limit) {
    limiter.limit = limit;
  }
  return limiter;
}
