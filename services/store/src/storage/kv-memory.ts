import type { KeyValueStore } from "./key-value.ts";

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * Embedded expiring keys: a Map with lazy expiry on read plus a periodic sweep. Bounded by
 * `maxEntries` (oldest write evicted first) so a flood of sessions cannot exhaust memory.
 * Process-local: run one replica, or use Redis.
 */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly backend = "memory";
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #sweep: NodeJS.Timeout;

  constructor(opts: { maxEntries: number; sweepIntervalMs?: number; now?: () => number }) {
    this.#maxEntries = opts.maxEntries;
    this.#now = opts.now ?? Date.now;
    this.#sweep = setInterval(() => this.#removeExpired(), opts.sweepIntervalMs ?? 10_000);
    this.#sweep.unref();
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<string | null> {
    const e = this.#entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return null;
    }
    return e.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    // Re-insert so Map order stays write order (the eviction order).
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#removeExpired();
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlSeconds * 1000 });
  }

  async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if ((await this.get(key)) !== null) return false;
    await this.set(key, value, ttlSeconds);
    return true;
  }

  async del(key: string): Promise<boolean> {
    const e = this.#entries.get(key);
    this.#entries.delete(key);
    return e !== undefined && e.expiresAt > this.#now();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#entries.clear();
  }

  #removeExpired(): void {
    const now = this.#now();
    for (const [k, e] of this.#entries) if (e.expiresAt <= now) this.#entries.delete(k);
  }
}
