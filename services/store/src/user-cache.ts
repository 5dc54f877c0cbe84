import type { Logger } from "@flotilla/service-kit";
import { Counter, type Registry } from "prom-client";
import type { KeyValueStore } from "./storage/key-value.ts";
import type { User } from "./storage/users.ts";

/** A deleted user: cached as a tombstone so a racing reader cannot re-cache the old row. */
const TOMBSTONE = "null";

export type CacheLookup = { hit: true; user: User | null } | { hit: false };

/**
 * Cache-aside for `GET /users/:id` in Redis (or the embedded TTL map). Populate uses SET NX
 * and delete writes a tombstone, so a read that raced a delete cannot resurrect the user.
 * Cache failures never fail a request: they count as errors and the database answers.
 */
export class UserCache {
  readonly #kv: KeyValueStore;
  readonly #ttl: number;
  readonly #log: Logger;
  readonly #lookups: Counter<"result">;

  constructor(opts: { kv: KeyValueStore; ttlSeconds: number; log: Logger; metrics: Registry }) {
    this.#kv = opts.kv;
    this.#ttl = opts.ttlSeconds;
    this.#log = opts.log;
    this.#lookups = new Counter({
      name: "store_user_cache_requests_total",
      help: "GET /users/:id cache lookups by result: hit, miss, error (cache down), disabled.",
      labelNames: ["result"] as const,
      registers: [opts.metrics],
    });
    for (const result of ["hit", "miss", "error", "disabled"]) this.#lookups.labels(result).inc(0);
  }

  async get(id: number): Promise<CacheLookup> {
    if (this.#ttl === 0) {
      this.#lookups.labels("disabled").inc();
      return { hit: false };
    }
    try {
      const value = await this.#kv.get(key(id));
      if (value === null) {
        this.#lookups.labels("miss").inc();
        return { hit: false };
      }
      this.#lookups.labels("hit").inc();
      return { hit: true, user: value === TOMBSTONE ? null : (JSON.parse(value) as User) };
    } catch (err) {
      this.#lookups.labels("error").inc();
      this.#log.warn({ err: (err as Error).cause ?? err }, "user cache read failed; using the database");
      return { hit: false };
    }
  }

  async fill(user: User): Promise<void> {
    if (this.#ttl === 0) return;
    await this.#quietly("fill", () => this.#kv.add(key(user.id), JSON.stringify(user), this.#ttl));
  }

  async invalidate(id: number): Promise<void> {
    if (this.#ttl === 0) return;
    await this.#quietly("invalidate", () => this.#kv.set(key(id), TOMBSTONE, this.#ttl));
  }

  async #quietly(op: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.#log.warn({ err: (err as Error).cause ?? err, op }, "user cache write failed");
    }
  }
}

const key = (id: number): string => `user:${id}`;
