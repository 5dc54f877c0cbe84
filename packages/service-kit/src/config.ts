import { readFileSync } from "node:fs";
import { z } from "zod";
import { tracingEnv } from "./tracing/env.ts";

/** One bad environment variable and why. */
export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** Thrown by loadConfig with every problem at once, so an operator fixes them in one go. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.reason}`).join("; ")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }

  /** Human-readable report for stderr. */
  format(service: string): string {
    const lines = this.problems.map((p) => `  ${p.variable}: ${p.reason}`);
    return `${service}: invalid configuration (${this.problems.length} problem${this.problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}\n`;
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Integer environment variable with bounds (environment values are strings, so coerce). */
export function intVar(min: number, max: number, fallback: number) {
  return z.coerce.number().int().min(min).max(max).default(fallback);
}

/** A list in one variable, e.g. `a|b|c`. Empty items are dropped. */
export function listVar(separator: string, fallback: string[]) {
  return z
    .string()
    .default(fallback.join(separator))
    .transform((value) =>
      value
        .split(separator)
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );
}

/** The variables every service understands. Spread into a service's own schema. */
export function commonEnv(defaults: { port: number }) {
  return {
    PORT: intVar(0, 65535, defaults.port).describe("TCP port the HTTP server listens on (0 picks a free one)."),
    HOST: z.string().min(1).default("0.0.0.0").describe("Address to bind; `127.0.0.1` keeps the service local."),
    LOG_LEVEL: z
      .enum(LOG_LEVELS)
      .default("info")
      .describe(`Minimum log level: ${LOG_LEVELS.join(", ")}.`),
    SHUTDOWN_GRACE_MS: intVar(0, 600_000, 20_000).describe(
      "On SIGTERM, how long in-flight requests may take before remaining connections are cut. Keep it below the orchestrator's kill timeout (Kubernetes: 30 s).",
    ),
    SHUTDOWN_DELAY_MS: intVar(0, 60_000, 0).describe(
      "On SIGTERM, how long to keep serving (readiness already 503) before the listener closes, so load balancers stop routing here first.",
    ),
    BODY_LIMIT_BYTES: intVar(1, 100 * 1024 * 1024, 1024 * 1024).describe("Largest request body accepted; larger ones get 413."),
    MAX_EVENT_LOOP_DELAY_MS: intVar(0, 60_000, 1_000).describe(
      "Load shedding: while the mean event-loop delay (sampled every second) is above this, requests get 503 with `Retry-After` and `/readyz` fails; `/healthz` and `/metrics` still answer. 0 turns it off.",
    ),
    MAX_HEAP_USED_BYTES: intVar(0, 64 * 1024 * 1024 * 1024, 0).describe(
      "Load shedding: while the V8 heap in use is above this many bytes, requests get 503 as above. 0 (the default) turns it off; set it below the container's memory limit.",
    ),
    FAULTS_FILE: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The fault switch for drills: path of a JSON file of fault rules (a mounted ConfigMap), watched and reloaded without a restart; a malformed file is refused and the rules in force stay; no file, no fault. Unset: off, nothing watched. See the kit's README.",
      ),
    ...tracingEnv(),
  };
}

export type Env = Record<string, string | undefined>;

/**
 * Parses the environment against a schema. Empty strings count as unset (so `FOO=` falls back
 * to the default), and `NAME_FILE` supplies `NAME` from a file (Docker/Kubernetes secrets).
 * Throws ConfigError listing every bad variable.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const problems: ConfigProblem[] = [];
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const direct = env[key];
    const file = env[`${key}_FILE`];
    if (direct !== undefined && direct !== "") {
      if (file) problems.push({ variable: key, reason: `set both ${key} and ${key}_FILE; choose one` });
      input[key] = direct;
    } else if (file) {
      try {
        input[key] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      } catch (error) {
        problems.push({ variable: `${key}_FILE`, reason: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}` });
      }
    }
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const variable = String(issue.path[0] ?? "(config)");
      const value = input[variable];
      const shown = value === undefined ? "unset" : isSecretName(variable) ? "value hidden" : `got ${JSON.stringify(value)}`;
      problems.push({ variable, reason: `${issue.message} (${shown})` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return (result as { data: z.infer<S> }).data;
}

/** Names whose values never appear in logs or error messages. */
export function isSecretName(name: string): boolean {
  return /PASSWORD|SECRET|TOKEN|KEY|CREDENTIAL/i.test(name);
}

/** Markdown table documenting a schema: generated, so the docs cannot drift from the code. */
export function configTable(schema: z.ZodObject): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<
      string,
      { type?: string; enum?: unknown[]; default?: unknown; description?: string; minimum?: number; maximum?: number }
    >;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  const rows = Object.entries(json.properties ?? {}).map(([name, prop]) => {
    const def =
      prop.default === undefined
        ? required.has(name)
          ? "**required**"
          : "unset"
        : prop.default === ""
          ? "empty"
          : `\`${String(prop.default)}\``;
    const type = prop.enum ? prop.enum.map((v) => `\`${String(v)}\``).join(" \\| ") : (prop.type ?? "string");
    const range = prop.minimum !== undefined && prop.maximum !== undefined ? ` (${prop.minimum}–${prop.maximum})` : "";
    const secret = isSecretName(name) ? ` Secret: may come from \`${name}_FILE\`.` : "";
    return `| \`${name}\` | ${type}${range} | ${def} | ${(prop.description ?? "").replaceAll("|", "\\|")}${secret} |`;
  });
  return ["| Variable | Type | Default | Description |", "|---|---|---|---|", ...rows].join("\n");
}
