import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
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

  // The Job's pod may start before the database admits it (a NetworkPolicy not yet programmed for
  // the new pod's address answers "connection refused"): it retries, within MIGRATE_WAIT_MS.
  it("retries a database it cannot reach until MIGRATE_WAIT_MS, then exits 1 (control: 0 waits, one try)", async () => {
    const port = await closedPort();
    const run = (wait: string) =>
      runMigrate({ MYSQL_HOST: "127.0.0.1", MYSQL_PORT: String(port), MIGRATE_WAIT_MS: wait, MIGRATION_RETRY_MS: "200" });
    const waited = await run("1200");
    expect(waited.status).toBe(1);
    const users = waited.logs.filter((l) => l.database === "users");
    expect(users.filter((l) => l.msg === "database unreachable; retrying").length).toBeGreaterThanOrEqual(3);
    expect(users.at(-1)).toMatchObject({ msg: "migrations failed" });
    expect(String(users.at(-1)?.error)).toContain("ECONNREFUSED");
    const once = await run("0");
    expect(once.status).toBe(1);
    expect(once.logs.filter((l) => l.database === "users").map((l) => l.msg)).toEqual(["migrations failed"]);
  });

  // Needs a real MySQL behind the late proxy: defined only where there is one (tier store, STORE_IT=1).
  if (realServers)
    it("succeeds once the database starts answering (a proxy to MySQL opened late)", async () => {
      const port = await closedPort();
      let proxy: Server | undefined;
      const late = setTimeout(() => {
        proxy = createServer((c) => {
          const up = connect(Number(process.env.MYSQL_PORT ?? 3306), process.env.MYSQL_HOST);
          c.pipe(up).pipe(c);
          c.on("error", () => up.destroy());
          up.on("error", () => c.destroy());
        }).listen(port, "127.0.0.1");
      }, 1500);
      try {
        const res = await runMigrate({ ...databaseEnv(), MYSQL_HOST: "127.0.0.1", MYSQL_PORT: String(port), MIGRATION_RETRY_MS: "300" });
        expect(res.status).toBe(0);
        expect(res.logs.some((l) => l.database === "users" && l.msg === "database unreachable; retrying")).toBe(true);
        expect(res.logs.find((l) => l.msg === "migrations applied" && l.database === "users")).toBeTruthy();
      } finally {
        clearTimeout(late);
        proxy?.close();
      }
    });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

type LogLine = { msg: string; database: string; error?: string };
function runMigrate(env: Record<string, string>): Promise<{ status: number | null; logs: LogLine[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, "../src/migrate.ts")], {
      env: { PATH: process.env.PATH, SQLITE_PATH: join(dir, "late.db"), ...env },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (status) =>
      resolve({
        status,
        logs: out
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l) as LogLine),
      }),
    );
  });
}
