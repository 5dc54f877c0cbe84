import { ConfigError, loadConfig } from "@flotilla/service-kit";
import { describe, expect, it } from "vitest";
import { configSchema } from "../src/config.ts";

function problems(env: Record<string, string>) {
  try {
    loadConfig(configSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("has working defaults", () => {
    const config = loadConfig(configSchema, {});
    expect(config).toMatchObject({
      PORT: 8080,
      STATS_SAMPLE_INTERVAL_MS: 1000,
      STATS_MAX_STREAMS: 500,
      STATS_SSE_HEARTBEAT_MS: 15000,
      CORS_ORIGINS: [],
      STATS_PROC_ROOT: "/proc",
      STATS_CGROUP_ROOT: "/sys/fs/cgroup",
    });
  });

  it("parses an origin list, * included", () => {
    const config = loadConfig(configSchema, { CORS_ORIGINS: "https://dash.example.com, http://localhost:5173 ,*" });
    expect(config.CORS_ORIGINS).toEqual(["https://dash.example.com", "http://localhost:5173", "*"]);
  });

  it("reports every bad variable at once, naming each", () => {
    const found = problems({
      STATS_SAMPLE_INTERVAL_MS: "10",
      STATS_MAX_STREAMS: "lots",
      STATS_SSE_HEARTBEAT_MS: "0",
      CORS_ORIGINS: "https://ok.example.com,example.com,https://x.example.com/path",
      STATS_PROC_ROOT: "proc",
      PORT: "70000",
    });
    const variables = found.map((p) => p.variable);
    expect(new Set(variables)).toEqual(
      new Set(["STATS_SAMPLE_INTERVAL_MS", "STATS_MAX_STREAMS", "STATS_SSE_HEARTBEAT_MS", "CORS_ORIGINS", "STATS_PROC_ROOT", "PORT"]),
    );
    const cors = found.filter((p) => p.variable === "CORS_ORIGINS").map((p) => p.reason);
    expect(cors).toHaveLength(2);
    expect(cors.join()).toContain('"example.com" is not an origin');
    expect(cors.join()).toContain('"https://x.example.com/path" is not an origin');
    expect(found.find((p) => p.variable === "STATS_PROC_ROOT")?.reason).toContain("absolute path");
  });
});
