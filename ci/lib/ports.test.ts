import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { dirname } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { python3 } from "./python.ts";

const script = new URL("ports.py", import.meta.url).pathname;
const [ephemeralLow, ephemeralHigh] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);

/** ports.py as the tiers run it. */
const ports = (...args: string[]) => python3([script, ...args]);

/** ports.py's main run with `patch` (Python, `ports` being the module) applied first: a fixed draw, a fake probe. */
const portsPatched = (patch: string, ...args: string[]) =>
  python3([
    "-c",
    `import sys; sys.path.insert(0, ${JSON.stringify(dirname(script))}); import ports; ${patch}; sys.exit(ports.main(sys.argv[1:]))`,
    ...args,
  ]);

let server: Server | undefined;
afterEach(() => server?.close());

function listen(port: number): Promise<void> {
  server = createServer();
  return new Promise((resolve, reject) => server!.once("error", reject).listen(port, "127.0.0.1", resolve));
}

describe("ci/lib/ports.py", () => {
  it("free N: N distinct ports from 20000-29999 that a server can listen on", async () => {
    const run = await ports("free", "5");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const picked = run.stdout.trim().split(" ").map(Number);
    expect(new Set(picked).size).toBe(5);
    for (const port of picked) expect(port >= 20000 && port < 30000 && port < ephemeralLow).toBe(true);
    await listen(picked[0]);
  });

  it("check: a free port below the ephemeral range passes", async () => {
    const [port] = (await ports("free", "1")).stdout.trim().split(" ");
    expect(await ports("check", port)).toMatchObject({ code: 0, stderr: "" });
  });

  it("check: a port in the ephemeral range fails, naming the range and where to go", async () => {
    const port = String(Math.floor((ephemeralLow + ephemeralHigh) / 2));
    const run = await ports("check", port);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `ports.py: port ${port} is in the ephemeral range ${ephemeralLow}-${ephemeralHigh}: an outgoing connection can hold it; use one of 20000-29999\n`,
    );
  });

  it("check: a port a server listens on fails; every bad port is named", async () => {
    const [busy, free] = (await ports("free", "2")).stdout.trim().split(" ");
    await listen(Number(busy));
    const run = await ports("check", free, busy, String(ephemeralLow));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${busy} on 127.0.0.1 is in use`);
    expect(run.stderr).toContain(`port ${ephemeralLow} is in the ephemeral range`);
    expect(run.stderr).not.toContain(`port ${free} `);
  });

  it("free N skips ports in use", async () => {
    const [busy] = (await ports("free", "1")).stdout.trim().split(" ");
    await listen(Number(busy));
    // the busy port drawn first: the pick must pass it over
    const run = await portsPatched(`ports.random.shuffle = lambda pool: pool.sort(key=lambda p: p != ${busy})`, "free", "1");
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^2\d{4}\n$/);
    expect(run.stdout.trim()).not.toBe(busy);
  });

  it("free N fails, saying so, when the pool has fewer free ports", async () => {
    const run = await portsPatched("ports.bindable = lambda port: port % 1000 == 0", "free", "11"); // 10 free
    expect(run).toMatchObject({ code: 1, stdout: "", stderr: "ports.py: only 10 of 11 ports free in 20000-29999\n" });
  });

  it("bad arguments: usage, exit 2", async () => {
    for (const args of [[], ["free"], ["free", "x"], ["check"], ["check", "80a"], ["open", "1"]]) {
      expect(await ports(...args)).toMatchObject({ code: 2, stderr: "usage: ports.py free N | ports.py check PORT...\n" });
    }
  });
});
