import { ConfigError, loadConfig } from "@flotilla/service-kit";
import { describe, expect, it } from "vitest";
import { configSchema } from "./config.ts";

describe("config", () => {
  it("embedded defaults: both roles in one process on 8888 / 9999, metrics on 9464", () => {
    const config = loadConfig(configSchema, {});
    expect(config).toMatchObject({ ROUTEGUIDE_MODE: "all", GRPC_PORT: 8888, BACKEND_PORT: 9999, PORT: 9464, BACKEND_TLS: false });
  });

  it("reports every bad variable at once", () => {
    try {
      loadConfig(configSchema, {
        ROUTEGUIDE_MODE: "both",
        GRPC_PORT: "http",
        TLS_CERT_FILE: "/c.pem",
        SAVE_BACKOFF_BASE_MS: "9000",
        SAVE_BACKOFF_MAX_MS: "10",
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const variables = (error as ConfigError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(expect.arrayContaining(["GRPC_PORT", "ROUTEGUIDE_MODE"]));
    }
  });

  it("cross-field rules: cert without key, mTLS without a cert, backoff base above max", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(configSchema, env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.reason}`);
      }
    };
    expect(problems({ TLS_CERT_FILE: "/c.pem" })).toEqual([
      expect.stringMatching(/^TLS_KEY_FILE: TLS_CERT_FILE and TLS_KEY_FILE go together/),
    ]);
    expect(problems({ TLS_CLIENT_CA_FILE: "/ca.pem" })).toEqual([expect.stringMatching(/^TLS_CLIENT_CA_FILE: mutual TLS needs/)]);
    expect(problems({ SAVE_BACKOFF_BASE_MS: "9000", SAVE_BACKOFF_MAX_MS: "10" })).toEqual([
      expect.stringMatching(/^SAVE_BACKOFF_BASE_MS: must not exceed/),
    ]);
  });
});
