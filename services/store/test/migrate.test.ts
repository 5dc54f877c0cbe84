import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { databaseEnv, realServers } from "./real-servers.ts";

// `node src/migrate.ts` is what a Kubernetes Job runs: it must apply, then find nothing to do.
const dir = mkdtempSync(join(tmpdir(), "store-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function migrate(): { status: number | null; runs: { database: string; applied: number }[] } {
  const res = spawnSync(process.execPath, [join(import.meta.dirname, "../src/migrate.ts")], {
    env: { PATH: process.env.PATH, SQLITE_PATH: join(dir, "store.db"), ...databaseEnv() },
    encoding: "utf8",
    timeout: 60_000,
  });
  const runs = res.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { database: string; applied: number });
  return { status: res.status, runs };
}

describe(`migrate command (${realServers ? "real servers" : "embedded SQLite file"})`, () => {
  it("applies pending migrations, then is a no-op on a second run", () => {
    const first = migrate();
    expect(first.status).toBe(0);
    expect(first.runs.map((r) => r.database)).toEqual(["users", "posts"]);
    if (!realServers) expect(first.runs.map((r) => r.applied)).toEqual([1, 1]);
    const second = migrate();
    expect(second.status).toBe(0);
    expect(second.runs.map((r) => r.applied)).toEqual([0, 0]);
  });

  it("exits 78 listing the bad variable on invalid configuration", () => {
    const res = spawnSync(process.execPath, [join(import.meta.dirname, "../src/migrate.ts")], {
      env: { PATH: process.env.PATH, MYSQL_PORT: "not-a-port" },
      encoding: "utf8",
    });
    expect(res.status).toBe(78);
    expect(res.stderr).toContain("MYSQL_PORT");
  });
});
