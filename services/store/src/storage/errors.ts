/** A unique column (username, email) already holds this value: the API answers 409. */
export class ConflictError extends Error {
  readonly statusCode = 409;
  readonly field: string;
  constructor(field: string) {
    super(`${field} already exists`);
    this.name = "ConflictError";
    this.field = field;
  }
}

/**
 * The backing database could not serve the call (down, unreachable, timed out, not migrated yet).
 * The API answers 503 on the routes that need that database only (the kit's error handler sends
 * `statusCode` and this message); the cause is logged, never sent.
 */
export class UnavailableError extends Error {
  readonly statusCode = 503;
  readonly dependency: string;
  constructor(dependency: string, cause?: unknown) {
    super(`${dependency} database unavailable`, { cause: summarise(cause) });
    this.name = "UnavailableError";
    this.dependency = dependency;
  }
}

/**
 * Keeps a driver error's message and code only: drivers attach the failed statement with its
 * values (a password hash, user data), which must not reach the logs.
 */
function summarise(cause: unknown): Error | undefined {
  if (cause === undefined) return undefined;
  const e = cause as { message?: unknown; code?: unknown };
  const summary = new Error(typeof e.message === "string" ? e.message : String(cause));
  if (typeof e.code === "string" || typeof e.code === "number") Object.assign(summary, { code: e.code });
  return summary;
}
