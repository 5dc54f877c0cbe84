// Reconnect delays: exponential from `baseMs`, capped, with "full jitter" so that many
// dashboards do not hammer a restarted stats service in lockstep.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, { baseMs, maxMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  // Never below baseMs / 2: a zero delay would turn a down service into a busy loop.
  return Math.round(Math.max(baseMs / 2, random() * ceiling));
}
