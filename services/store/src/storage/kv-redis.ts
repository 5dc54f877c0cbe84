import { Redis } from "ioredis";
import { UnavailableError } from "./errors.ts";
import type { KeyValueStore } from "./key-value.ts";

export interface RedisOptions {
  host: string;
  port: number;
  password: string;
  db: number;
  /** Per-command timeout and connect timeout. */
  timeoutMs: number;
}

/** Redis-backed expiring keys (`SET key value EX ttl`). */
export class RedisKeyValueStore implements KeyValueStore {
  readonly backend = "redis";
  readonly #redis: Redis;
  readonly #timeoutMs: number;
  #connected = false;

  constructor(opts: RedisOptions) {
    this.#timeoutMs = opts.timeoutMs;
    this.#redis = new Redis({
      host: opts.host,
      port: opts.port,
      password: opts.password || undefined,
      db: opts.db,
      connectTimeout: opts.timeoutMs,
      commandTimeout: opts.timeoutMs,
      // While disconnected, fail commands at once (503) instead of queueing them until reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      // Reconnect forever, backing off to 2 s, so the service recovers by itself.
      retryStrategy: (times) => Math.min(times * 100, 2000),
      lazyConnect: false,
    });
    // ioredis emits every failed reconnect; the readiness check and the 503s report the outage.
    this.#redis.on("error", () => {});
    this.#redis.once("ready", () => {
      this.#connected = true;
    });
  }

  async get(key: string): Promise<string | null> {
    return this.#run(() => this.#redis.get(key));
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.#run(() => this.#redis.set(key, value, "EX", ttlSeconds));
  }

  async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return this.#run(async () => (await this.#redis.set(key, value, "EX", ttlSeconds, "NX")) === "OK");
  }

  async del(key: string): Promise<boolean> {
    return this.#run(async () => (await this.#redis.del(key)) > 0);
  }

  async ping(): Promise<void> {
    await this.#run(() => this.#redis.ping());
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }

  /** Only the very first connection is waited for; after that a disconnected Redis fails fast. */
  async #firstConnection(): Promise<void> {
    if (this.#connected || this.#redis.status === "ready") return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#redis.off("ready", onReady);
        reject(new Error(`not connected within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.#redis.once("ready", onReady);
    });
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      await this.#firstConnection();
      return await fn();
    } catch (err) {
      throw new UnavailableError("sessions", err);
    }
  }
}
