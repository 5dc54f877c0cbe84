import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The process as the chart runs it: Percona's flags, the URI from the environment.
const main = join(import.meta.dirname, "main.ts");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function get(url: string, deadline = Date.now() + 15_000): Promise<Response> {
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(5_000) });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe("mongodb exporter process", () => {
  it("takes the chart's flags (--web.listen-address, --compatible-mode); / and /healthz answer; an unreachable server is mongodb_up 0", async () => {
    const [port, dead] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, [main, `--web.listen-address=127.0.0.1:${port}`, "--compatible-mode"], {
      env: {
        PATH: process.env.PATH,
        MONGODB_URI: `mongodb://127.0.0.1:${dead}/admin`,
        MONGODB_TIMEOUT_MS: "200",
        LISTEN_ADDRESS: "127.0.0.1:1",
      },
      stdio: "ignore",
    });
    children.push(child);
    const base = `http://127.0.0.1:${port}`;
    expect((await get(`${base}/`)).status).toBe(200);
    expect((await get(`${base}/healthz`)).status).toBe(200);
    expect((await get(`${base}/nothing`)).status).toBe(404);
    const metrics = await (await get(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^mongodb_up 0$/m);
  });

  it("refuses an unknown flag and a bad address, naming each (exit 78)", () => {
    const res = spawnSync(process.execPath, [main, "--mongodb.uri=x", "--web.listen-address=nowhere"], {
      env: { PATH: process.env.PATH, MONGODB_URI: "mongodb://127.0.0.1:1/admin" },
      encoding: "utf8",
    });
    expect(res.status).toBe(78);
    const { errors } = JSON.parse(res.stderr) as { errors: string[] };
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^--mongodb\.uri=x: unknown flag/);
    expect(errors[1]).toBe('--web.listen-address: "nowhere" is not [host]:port');
  });
});
