import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

// Accept a caller's request id only if it is short and plain, so it is safe to log and echo.
const SAFE_ID = /^[\w.:-]{1,128}$/;

export function requestId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && SAFE_ID.test(given) ? given : randomUUID();
}

/** Headers every response carries; a route may override any of them (e.g. its own CSP). */
export const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
};
