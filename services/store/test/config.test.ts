import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "@flotilla/service-kit";
import { describe, expect, it } from "vitest";
import { configSchema } from "../src/config.ts";
import { storageSettings } from "../src/storage-settings.ts";

describe("store configuration", () => {
  it("defaults to embedded storage on every database", () => {
    const s = storageSettings(loadConfig(configSchema, {}));
    expect(s).toMatchObject({ mysql: null, mongo: null, redis: null, sqlitePath: ":memory:" });
  });

  it("uses a real server per *_HOST and reads passwords from *_FILE", () => {
    const dir = mkdtempSync(join(tmpdir(), "store-config-"));
    try {
      writeFileSync(join(dir, "mysql"), "s3cret\n");
      const s = storageSettings(
        loadConfig(configSchema, { MYSQL_HOST: "db", MYSQL_PASSWORD_FILE: join(dir, "mysql"), REDIS_HOST: "cache" }),
      );
      expect(s.mysql).toMatchObject({ host: "db", port: 3306, user: "store", password: "s3cret", database: "flotilla" });
      expect(s.redis).toMatchObject({ host: "cache", port: 6379, db: 0 });
      expect(s.mongo).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports every bad variable at once", () => {
    try {
      loadConfig(configSchema, { MYSQL_PORT: "x", BCRYPT_COST: "40", MIGRATE_ON_START: "maybe" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual(["BCRYPT_COST", "MIGRATE_ON_START", "MYSQL_PORT"]);
    }
  });
});
