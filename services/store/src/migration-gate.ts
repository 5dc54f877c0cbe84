import type { Logger } from "@flotilla/service-kit";
import { UnavailableError } from "./storage/errors.ts";

/**
 * Runs one database's migrations at start. If the database is unreachable the service still
 * starts (liveness stays green, that database's routes answer 503, readiness says why) and the
 * migrations are retried until they succeed: no crash loop, automatic recovery.
 */
export class MigrationGate {
  readonly #name: string;
  readonly #migrate: () => Promise<number>;
  readonly #log: Logger;
  readonly #retryMs: number;
  #done: boolean;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(opts: { name: string; migrate: () => Promise<number>; log: Logger; retryMs: number; enabled: boolean }) {
    this.#name = opts.name;
    this.#migrate = opts.migrate;
    this.#log = opts.log;
    this.#retryMs = opts.retryMs;
    this.#done = !opts.enabled;
  }

  get done(): boolean {
    return this.#done;
  }

  /** First attempt, awaited so a healthy start serves at once; failures schedule retries. */
  async start(): Promise<void> {
    if (this.#done) return;
    try {
      const applied = await this.#migrate();
      this.#done = true;
      this.#log.info({ database: this.#name, applied }, "schema migrations up to date");
    } catch (err) {
      this.#log.warn(
        { database: this.#name, err: (err as Error).cause ?? err, retryMs: this.#retryMs },
        "schema migrations failed; retrying",
      );
      if (!this.#stopped) {
        this.#timer = setTimeout(() => void this.start(), this.#retryMs);
        this.#timer.unref();
      }
    }
  }

  /** Throws the 503 error for this database until migrations have run. */
  assertReady(): void {
    if (!this.#done) throw new UnavailableError(this.#name, new Error("schema migrations pending"));
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
}
