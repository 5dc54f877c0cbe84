import Redact from "@pinojs/redact";
import { type LoggerOptions, pino } from "pino";

/** Paths blanked out wherever they appear in a log object (pino's path syntax; `*` is any key). */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "*.password_hash",
  "*.passwordHash",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "cookie",
  "*.cookie",
  '*.headers["set-cookie"]',
  "*.headers.authorization",
  "*.headers.cookie",
];

export const CENSOR = "[redacted]";

/**
 * The same redaction as pino's `redact: { paths }`, by the same library (@pinojs/redact), applied
 * only where a path can match. Given a path that starts with a wildcard, pino runs its redactor on
 * every value of every line, strings and numbers included (the redactor parses each path anew on
 * every call): on the access log's line of five plain fields, which cannot hold a nested secret,
 * that was four fifths of the line's cost. Here top-level names stay with pino's `redact` (a
 * lookup by key) and `*.`-paths are applied to object values only: those of the line (formatters.log),
 * of bindings (`redactObjects`) and of the serialised error (`err` is serialised after formatters run).
 */
export function redaction(
  paths: readonly string[],
  censor: string,
): Pick<LoggerOptions, "redact" | "formatters" | "serializers"> & { redactObjects: <T extends object>(object: T) => T } {
  const topLevel = paths.filter((p) => !p.startsWith("*."));
  const nested = Redact({
    paths: paths.filter((p) => p.startsWith("*.")).map((p) => p.slice(2)),
    censor,
    serialize: (v) => v,
    strict: true,
  });
  const redactObjects = <T extends object>(object: T): T => {
    let copy: Record<string, unknown> | undefined;
    for (const key in object) {
      const value = (object as Record<string, unknown>)[key];
      if (key === "err" || value === null || typeof value !== "object" || !Object.hasOwn(object, key)) continue;
      copy ??= { ...object } as Record<string, unknown>;
      copy[key] = nested(value);
    }
    return (copy as T | undefined) ?? object;
  };
  return {
    redact: { paths: topLevel, censor },
    formatters: { level: (label) => ({ level: label }), log: redactObjects, bindings: redactObjects },
    serializers: { err: (error: Error) => nested(pino.stdSerializers.err(error)) },
    redactObjects,
  };
}
