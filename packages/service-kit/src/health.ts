/** A readiness check: resolves when the dependency is usable, throws (with a reason) when not. */
export type ReadinessCheck = () => Promise<void> | void;

export interface ReadinessReport {
  ready: boolean;
  reason?: string;
  checks: Record<string, string>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * Liveness never looks at dependencies (a restart would not fix them); readiness runs every
 * registered check and turns false for good once shutdown begins.
 */
export class Health {
  #checks = new Map<string, ReadinessCheck>();
  #shuttingDown = false;
  #running: Promise<ReadinessReport> | undefined;

  addCheck(name: string, check: ReadinessCheck): void {
    if (this.#checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.#checks.set(name, check);
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  beginShutdown(): void {
    this.#shuttingDown = true;
  }

  /** Concurrent probes share one run of the checks. */
  readiness(): Promise<ReadinessReport> {
    if (this.#shuttingDown) return Promise.resolve({ ready: false, reason: "shutting down", checks: {} });
    this.#running ??= this.#runChecks().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #runChecks(): Promise<ReadinessReport> {
    const entries = [...this.#checks];
    const results = await Promise.all(entries.map(([, check]) => runWithTimeout(check)));
    const checks: Record<string, string> = {};
    const failed: string[] = [];
    entries.forEach(([name], i) => {
      const error = results[i];
      checks[name] = error ?? "ok";
      if (error) failed.push(`${name}: ${error}`);
    });
    return failed.length === 0 ? { ready: true, checks } : { ready: false, reason: failed.join("; "), checks };
  }
}

async function runWithTimeout(check: ReadinessCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([Promise.resolve(check()).then(() => undefined), timeout]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
