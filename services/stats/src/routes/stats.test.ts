import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "@flotilla/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { fsTree, procFiles } from "../../test/fs-tree.ts";
import { type Running, startApp, waitReady } from "../../test/helpers.ts";

const MiB = 1024 * 1024;
let kit: Running | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

describe("GET /stats", () => {
  it("is 503 with Retry-After, and not ready, until the first full interval has passed", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "60000" });
    const res = await kit.app.inject("/stats");
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("60");
    expect(res.json()).toEqual({ error: expect.stringContaining("no sample yet") });
    const ready = await kit.app.inject("/readyz");
    expect(ready.statusCode).toBe(503);
    expect(ready.json().error).toContain("first sample not taken yet");
  });

  it("reports psutil-semantics ram and cpu, with cgroup limits, from a fake /proc and cgroup v2 tree", async () => {
    const procRoot = await fsTree(
      // 8 GiB host, 6 GiB available
      procFiles({ cpu: [100, 0, 100, 800, 0], memTotalKb: 8 * 1024 * 1024, memAvailableKb: 6 * 1024 * 1024 }),
    );
    const cgroupRoot = await fsTree({
      "cgroup.controllers": "cpu memory",
      "cgroup.procs": "1",
      "memory.max": String(512 * MiB),
      "memory.current": String(150 * MiB),
      "memory.stat": `inactive_file ${22 * MiB}\n`,
      "cpu.max": "100000 100000",
      "cpu.stat": "usage_usec 1000\n",
    });
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "100", STATS_PROC_ROOT: procRoot, STATS_CGROUP_ROOT: cgroupRoot });
    // From the baseline: +300 jiffies busy, +100 idle -> 75 %.
    await writeFile(join(procRoot, "stat"), "cpu  250 0 250 900 0\ncpu0 1 1 1 1\ncpu1 1 1 1 1\n");
    await waitReady(kit);
    const body = await waitFor(async () => {
      const b = (await kit?.app.inject("/stats"))?.json();
      return b?.cpu === 75 ? b : undefined;
    });
    expect(body).toMatchObject({
      cpu: 75,
      // working set 128 MiB of a 512 MiB limit
      ram: 25,
      cpuCount: 2,
      loadAverage: [0.5, 0.25, 0.1],
      uptimeSeconds: 1234.56,
      memory: {
        source: "cgroup-v2",
        totalBytes: 512 * MiB,
        availableBytes: 384 * MiB,
        usedBytes: 128 * MiB,
        hostTotalBytes: 8192 * MiB,
        hostAvailableBytes: 6144 * MiB,
      },
      cgroup: {
        version: 2,
        path: "/",
        memory: { maxBytes: 512 * MiB, currentBytes: 150 * MiB, workingSetBytes: 128 * MiB },
        cpu: { quotaMicros: 100000, periodMicros: 100000, limitCores: 1, usageSeconds: 0.001, usagePercent: 0 },
      },
      intervalMs: 100,
    });
    expect(Date.parse(body.sampledAt)).toBeGreaterThan(Date.now() - 10_000);
  });

  it("agrees with this machine's /proc/meminfo", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "100" });
    await waitReady(kit);
    const res = await kit.app.inject("/stats");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = res.json();
    const meminfo = await readFile("/proc/meminfo", "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(meminfo)?.[1]) * 1024;
    expect(body.memory.hostTotalBytes).toBe(kb("MemTotal"));
    if (body.memory.source === "proc") {
      const expected = ((kb("MemTotal") - kb("MemAvailable")) / kb("MemTotal")) * 100;
      expect(Math.abs(body.ram - expected)).toBeLessThan(2);
    }
    expect(body.cpu).toBeGreaterThanOrEqual(0);
    expect(body.cpu).toBeLessThanOrEqual(100);
    expect(body.memory.usedBytes).toBe(body.memory.totalBytes - body.memory.availableBytes);
    expect(body.seq).toBeGreaterThanOrEqual(1);
  });

  it("serves many concurrent requests from the same sample", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "60000" });
    // Nothing to read yet: all 503, none blocks.
    const responses = await Promise.all(Array.from({ length: 50 }, () => kit?.app.inject("/stats")));
    expect(responses.every((r) => r?.statusCode === 503)).toBe(true);
  });

  it("fails to build, with a clear reason, where there is no procfs", async () => {
    await expect(startApp({ STATS_PROC_ROOT: "/nonexistent" })).rejects.toThrow(/cannot read \/nonexistent.*procfs/);
  });
});

describe("CORS", () => {
  it("sends no CORS headers by default (same-origin only)", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "60000" });
    const res = await kit.app.inject({ url: "/stats", headers: { origin: "https://evil.example.com" } });
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("allows exactly the configured origins", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "60000", CORS_ORIGINS: "https://dash.example.com" });
    const ok = await kit.app.inject({ url: "/stats", headers: { origin: "https://dash.example.com" } });
    expect(ok.headers["access-control-allow-origin"]).toBe("https://dash.example.com");
    const other = await kit.app.inject({ url: "/stats", headers: { origin: "https://evil.example.com" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await kit.app.inject({
      method: "OPTIONS",
      url: "/stats/stream",
      headers: { origin: "https://dash.example.com", "access-control-request-method": "GET" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-methods"]).toBe("GET, HEAD");
  });

  it("allows any origin with *", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "60000", CORS_ORIGINS: "*" });
    const res = await kit.app.inject({ url: "/stats", headers: { origin: "https://anywhere.example.com" } });
    expect(res.headers["access-control-allow-origin"]).toBe("*");
  });
});
