// services/store against the real servers (MariaDB, FerretDB, Redis): GET /users/:id with the
// cache cold (every request a first read: Redis miss, MariaDB row, cache fill) and warm (every
// request a Redis hit), POST /session and GET /session/:id. Uses MYSQL_HOST / MONGO_HOST /
// REDIS_HOST (+ *_PORT, *_USER, *_PASSWORD[_FILE]) when set, as ci/tier-store.sh does; otherwise
// starts the servers itself with ci/store/servers.sh (installs them if needed: root, apt, go).
// Runs the production bundle, logs at info as deployed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mysql from "mysql2/promise";
import { type BenchContext, buildBundle, type LoadResult, load, startNode } from "./lib.ts";

const root = new URL("..", import.meta.url).pathname;
const SERVERS = `${root}ci/store/servers.sh`;
const COLD_USERS = Number(process.env.BENCH_STORE_USERS ?? 20_000);

/** Real servers from the environment, or started here (and stopped by the returned function). */
function realServers(): { env: Record<string, string>; stop: () => void } {
  const names = /^(MYSQL|MONGO|REDIS)_/;
  const fromEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => names.test(k))) as Record<string, string>;
  if (fromEnv.MYSQL_HOST && fromEnv.MONGO_HOST && fromEnv.REDIS_HOST) return { env: fromEnv, stop: () => {} };
  const dir = mkdtempSync(join(tmpdir(), "flotilla-store-bench-"));
  const out = execFileSync("bash", ["-c", `source ${SERVERS} && store_install && store_start ${dir}/servers >&2 && env`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const env: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0 && names.test(line)) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return {
    env,
    stop: () => {
      execFileSync("bash", ["-c", `source ${SERVERS} && STORE_DIR=${dir}/servers && store_stop_all`], { stdio: "inherit" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const secret = (env: Record<string, string>, name: string) =>
  env[`${name}_FILE`] ? readFileSync(env[`${name}_FILE`] as string, "utf8").trim() : (env[name] ?? "");

/** Inserts users straight into MariaDB (bcrypt at API speed would make seeding the benchmark). */
async function seedUsers(env: Record<string, string>, count: number): Promise<number[]> {
  const db = await mysql.createConnection({
    host: env.MYSQL_HOST,
    port: Number(env.MYSQL_PORT ?? 3306),
    user: env.MYSQL_USER ?? "store",
    password: secret(env, "MYSQL_PASSWORD"),
    database: env.MYSQL_DB_NAME ?? "flotilla",
  });
  try {
    const tag = `b${Date.now().toString(36)}`;
    const hash = "$2b$04$benchbenchbenchbenchbeu3Q3F4mJ6k0yB8bQZl6Cz1l0gZz9o2W"; // never verified
    for (let start = 0; start < count; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - start) }, (_, i) => {
        const n = start + i;
        return [`${tag}_${n}`, `Bench ${n}`, `${tag}_${n}@bench.test`, hash];
      });
      await db.query("INSERT INTO users (username, name, email, password_hash) VALUES ?", [rows]);
    }
    const [ids] = await db.query<mysql.RowDataPacket[]>("SELECT id FROM users WHERE username LIKE ? ORDER BY id", [`${tag}\\_%`]);
    return ids.map((r) => Number(r.id));
  } finally {
    await db.end();
  }
}

async function cacheCounts(base: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/store_user_cache_requests_total\{result="(\w+)"[^}]*\} (\d+)/g)) counts[m[1] as string] = Number(m[2]);
  return counts;
}

function ensureClean(name: string, r: LoadResult): void {
  if (r.errors > 0 || r.non2xx > 0) throw new Error(`${name}: ${r.errors} errors, ${r.non2xx} non-2xx responses`);
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const bundle = buildBundle("store");
  const servers = realServers();
  try {
    const store = await startNode([bundle], { ...servers.env, LOG_LEVEL: "info" });
    try {
      const base = `http://127.0.0.1:${store.port}`;
      const ids = await seedUsers(servers.env, COLD_USERS);
      const backends = "MariaDB + Redis";

      // Cold: each id requested exactly once, so every request misses, reads MariaDB and fills Redis.
      let i = 0;
      const before = await cacheCounts(base);
      const cold = await load(base, ctx, {
        amount: ids.length,
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/users/${ids[i++ % ids.length]}` }) }],
      });
      ensureClean("cold", cold);
      const afterCold = await cacheCounts(base);
      ctx.report({
        name: "store GET /users/:id, cache cold",
        requestsPerSec: cold.requestsPerSec,
        p99Ms: cold.p99Ms,
        note: `${backends}; ${(afterCold.miss ?? 0) - (before.miss ?? 0)} misses of ${ids.length} requests`,
      });

      // Warm: the same ids again, now all in Redis.
      const warm = await load(base, ctx, {
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/users/${ids[i++ % ids.length]}` }) }],
      });
      ensureClean("warm", warm);
      const afterWarm = await cacheCounts(base);
      const hits = (afterWarm.hit ?? 0) - (afterCold.hit ?? 0);
      const misses = (afterWarm.miss ?? 0) - (afterCold.miss ?? 0);
      ctx.report({
        name: "store GET /users/:id, cache warm",
        requestsPerSec: warm.requestsPerSec,
        p99Ms: warm.p99Ms,
        note: `${backends}; hit ratio ${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)} %`,
      });

      let s = 0;
      const post = await load(`${base}/session`, ctx, {
        requests: [
          {
            method: "POST",
            headers: { "content-type": "application/json" },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ session_id: `bench-${s++}`, data: "x".repeat(256), ttl: 600 }) }),
          },
        ],
      });
      ensureClean("POST /session", post);
      ctx.report({ name: "store POST /session", requestsPerSec: post.requestsPerSec, p99Ms: post.p99Ms, note: "Redis SET EX, 256 B" });

      const stored = Math.max(1, Math.min(s, 10_000));
      let g = 0;
      const read = await load(base, ctx, {
        requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: `/session/bench-${g++ % stored}` }) }],
      });
      ensureClean("GET /session/:id", read);
      ctx.report({ name: "store GET /session/:id", requestsPerSec: read.requestsPerSec, p99Ms: read.p99Ms, note: "Redis GET" });
    } finally {
      await store.stop();
    }
  } finally {
    servers.stop();
  }
}
