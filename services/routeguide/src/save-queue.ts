/**
 * A bounded, asynchronous work queue with per-attempt deadlines and retries (exponential
 * backoff, full jitter). `offer` never waits: when the queue is full the item is dropped and
 * reported, so a slow or absent backend can never slow down the RPC that produced the item.
 */

export interface SaveQueueOptions<T> {
  /** Items waiting (not counting those being saved). */
  capacity: number;
  /** Saves in flight at once. */
  concurrency: number;
  /** Tries per item, the first included. */
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** One attempt; must give up by itself (e.g. a gRPC deadline) or when `signal` aborts. */
  save: (item: T, signal: AbortSignal) => Promise<void>;
  /** Whether an error is worth another attempt (e.g. UNAVAILABLE yes, INVALID_ARGUMENT no). */
  retryable: (error: unknown) => boolean;
  events?: SaveQueueEvents<T>;
  random?: () => number;
}

export interface SaveQueueEvents<T> {
  saved?(item: T, attempts: number): void;
  retry?(item: T, attempt: number, error: unknown, delayMs: number): void;
  /** Given up after its attempts, or a non-retryable error. */
  failed?(item: T, attempts: number, error: unknown): void;
  /** Never tried: the queue was full or closed. */
  dropped?(item: T, reason: "queue_full" | "shutdown"): void;
  depth?(waiting: number): void;
}

export class SaveQueue<T> {
  readonly #options: SaveQueueOptions<T>;
  readonly #waiting: T[] = [];
  #active = 0;
  #closed = false;
  /** Set when the shutdown grace ran out: no more retries. */
  #aborted = false;
  /** Cancels attempts still in flight when the shutdown grace runs out. */
  readonly #abort = new AbortController();
  readonly #idle = new Set<() => void>();
  readonly #sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(options: SaveQueueOptions<T>) {
    if (options.capacity < 1 || options.concurrency < 1 || options.maxAttempts < 1) {
      throw new Error("capacity, concurrency and maxAttempts must be at least 1");
    }
    this.#options = options;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  get active(): number {
    return this.#active;
  }

  /** Accepts the item or drops it at once; returns whether it was accepted. */
  offer(item: T): boolean {
    if (this.#closed) {
      this.#options.events?.dropped?.(item, "shutdown");
      return false;
    }
    if (this.#waiting.length >= this.#options.capacity) {
      this.#options.events?.dropped?.(item, "queue_full");
      return false;
    }
    this.#waiting.push(item);
    this.#options.events?.depth?.(this.#waiting.length);
    this.#pump();
    return true;
  }

  /**
   * Stops accepting, lets in-flight and waiting saves finish for up to `graceMs`, then drops
   * whatever is left (reported as "shutdown") and cuts backoff sleeps short.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    const drained = new Promise<void>((resolve) => {
      if (this.#isIdle()) resolve();
      else this.#idle.add(resolve);
    });
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), graceMs);
    });
    const outcome = await Promise.race([drained, expired]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      this.#aborted = true;
      this.#abort.abort(new Error("save queue closed"));
      for (const item of this.#waiting.splice(0)) this.#options.events?.dropped?.(item, "shutdown");
      this.#options.events?.depth?.(0);
      for (const sleeper of this.#sleepers) {
        clearTimeout(sleeper.timer);
        sleeper.wake();
      }
      await drained;
    }
  }

  #isIdle(): boolean {
    return this.#active === 0 && this.#waiting.length === 0;
  }

  #pump(): void {
    while (this.#active < this.#options.concurrency && this.#waiting.length > 0) {
      const item = this.#waiting.shift() as T;
      this.#options.events?.depth?.(this.#waiting.length);
      this.#active++;
      void this.#process(item).finally(() => {
        this.#active--;
        this.#pump();
        if (this.#isIdle()) {
          for (const resolve of this.#idle) resolve();
          this.#idle.clear();
        }
      });
    }
  }

  async #process(item: T): Promise<void> {
    const { maxAttempts, events } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#options.save(item, this.#abort.signal);
        events?.saved?.(item, attempt);
        return;
      } catch (error) {
        if (attempt >= maxAttempts || !this.#options.retryable(error) || this.#aborted) {
          events?.failed?.(item, attempt, error);
          return;
        }
        const delay = this.backoffMs(attempt);
        events?.retry?.(item, attempt, error, delay);
        await this.#sleep(delay);
        if (this.#aborted) {
          events?.failed?.(item, attempt, error);
          return;
        }
      }
    }
  }

  /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
  backoffMs(attempt: number): number {
    const { baseBackoffMs, maxBackoffMs } = this.#options;
    const ceiling = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1));
    return Math.round((this.#options.random ?? Math.random)() * ceiling);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => {
          this.#sleepers.delete(sleeper);
          resolve();
        }, ms),
        wake: () => {
          this.#sleepers.delete(sleeper);
          resolve();
        },
      };
      this.#sleepers.add(sleeper);
    });
  }
}
