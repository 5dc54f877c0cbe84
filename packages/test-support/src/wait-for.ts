export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between attempts (default 50 ms). */
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

/**
 * Calls `probe` until it returns something other than `undefined` without throwing, and
 * resolves with that. On timeout it rejects, with the last error the probe threw as the cause.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, what = "condition" } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? `: ${last.message}` : "";
      throw new Error(`${what} not met within ${timeoutMs} ms${reason}`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once `url` answers a status that `ok` accepts (default 200-299). */
export function waitForHttp(
  url: string,
  options: WaitOptions & { ok?: (status: number) => boolean; alive?: () => boolean } = {},
): Promise<number> {
  const { ok = (status: number) => status >= 200 && status < 300, alive = () => true } = options;
  return waitFor(
    async () => {
      if (!alive()) throw new Error(`the process behind ${url} exited`);
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return ok(res.status) ? res.status : undefined;
    },
    { what: `${url} answering`, ...options },
  );
}
