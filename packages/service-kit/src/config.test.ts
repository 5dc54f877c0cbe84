import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, commonEnv, configTable, listVar, loadConfig } from "./config.ts";

const schema = z.object({
  ...commonEnv({ port: 8090 }),
  MESSAGES: listVar("|", ["Hi"]).describe("Messages."),
  DB_PASSWORD: z.string().min(8).optional().describe("Database password."),
});

function problemsOf(env: Record<string, string>): ConfigError["problems"] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies defaults and treats empty values as unset", () => {
    const config = loadConfig(schema, { PORT: "", LOG_LEVEL: "" });
    expect(config).toMatchObject({ PORT: 8090, HOST: "0.0.0.0", LOG_LEVEL: "info", SHUTDOWN_GRACE_MS: 20_000, MESSAGES: ["Hi"] });
  });

  it("coerces numbers and splits lists", () => {
    const config = loadConfig(schema, { PORT: "9000", MESSAGES: " a | b ||c " });
    expect(config.PORT).toBe(9000);
    expect(config.MESSAGES).toEqual(["a", "b", "c"]);
  });

  it("reports every bad variable at once, naming each", () => {
    const problems = problemsOf({ PORT: "http", LOG_LEVEL: "loud", SHUTDOWN_GRACE_MS: "-5", BODY_LIMIT_BYTES: "1.5" });
    expect(problems.map((p) => p.variable).sort()).toEqual(["BODY_LIMIT_BYTES", "LOG_LEVEL", "PORT", "SHUTDOWN_GRACE_MS"]);
    expect(problems.find((p) => p.variable === "PORT")?.reason).toContain('got "http"');
  });

  it("rejects a port out of range", () => {
    expect(problemsOf({ PORT: "70000" })[0]?.variable).toBe("PORT");
  });

  it("reads NAME_FILE for secrets and never echoes a secret value", () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-config-"));
    writeFileSync(join(dir, "pw"), "correct horse battery\n");
    expect(loadConfig(schema, { DB_PASSWORD_FILE: join(dir, "pw") }).DB_PASSWORD).toBe("correct horse battery");
    writeFileSync(join(dir, "short"), "abc");
    const [problem] = problemsOf({ DB_PASSWORD_FILE: join(dir, "short") });
    expect(problem?.variable).toBe("DB_PASSWORD");
    expect(problem?.reason).toContain("value hidden");
    expect(problem?.reason).not.toContain("abc");
  });

  it("reports an unreadable NAME_FILE and a conflict between NAME and NAME_FILE", () => {
    expect(problemsOf({ DB_PASSWORD_FILE: "/nonexistent/pw" })[0]).toEqual({
      variable: "DB_PASSWORD_FILE",
      reason: "cannot read /nonexistent/pw: ENOENT",
    });
    expect(problemsOf({ DB_PASSWORD: "longenough", DB_PASSWORD_FILE: "/x" })[0]?.variable).toBe("DB_PASSWORD");
  });

  it("formats a report an operator can act on", () => {
    const error = new ConfigError([{ variable: "PORT", reason: "bad" }]);
    expect(error.format("hello")).toBe("hello: invalid configuration (1 problem):\n  PORT: bad\n");
  });
});

describe("configTable", () => {
  it("documents every variable with type, default and description", () => {
    const table = configTable(schema);
    expect(table).toContain("| `PORT` | integer (0–65535) | `8090` | TCP port the HTTP server listens on (0 picks a free one). |");
    expect(table).toContain("| `MESSAGES` | string | `Hi` | Messages. |");
    expect(table).toContain("`DB_PASSWORD_FILE`");
    expect(table.split("\n")).toHaveLength(2 + Object.keys(schema.shape).length);
  });
});
