import { readFile } from "node:fs/promises";
import { cpus, loadavg, totalmem, uptime } from "node:os";
import { describe, expect, it } from "vitest";
import { ProcParseError, parseLoadAvg, parseMemInfo, parseProcStat, parseUptime, readProc } from "../src/proc.ts";
import { cpuPercent } from "../src/sample.ts";

describe("/proc parsers on fixtures", () => {
  it("parses the aggregate cpu line the way psutil does (guest not counted twice)", () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const stat = parseProcStat(
      "cpu  100 10 50 800 20 5 5 10 30 3\ncpu0 50 5 25 400 10 2 3 5 15 1\ncpu1 50 5 25 400 10 3 2 5 15 2\nintr 5\n",
    );
    expect(stat.cpu).toEqual({ total: 100 + 10 + 50 + 800 + 20 + 5 + 5 + 10, idle: 820 });
    expect(stat.cpuCount).toBe(2);
  });

  it("rejects a /proc/stat without a cpu line", () => {
    expect(() => parseProcStat("intr 1\n")).toThrow(ProcParseError);
    expect(() => parseProcStat("cpu  a b c d\n")).toThrow(/malformed/);
  });

  it("parses meminfo in bytes, MemAvailable preferred, estimated when missing", () => {
    expect(parseMemInfo("MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\n")).toEqual({
      totalBytes: 1024000,
      availableBytes: 614400,
    });
    // Pre-3.14 kernel: free + buffers + cached
    expect(parseMemInfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\n").availableBytes).toBe(350 * 1024);
    expect(() => parseMemInfo("MemFree: 1 kB\n")).toThrow(/MemTotal/);
  });

  it("parses loadavg and uptime", () => {
    expect(parseLoadAvg("0.52 0.31 0.20 1/123 4567\n")).toEqual([0.52, 0.31, 0.2]);
    expect(parseUptime("350735.47 234388.90\n")).toBe(350735.47);
    expect(() => parseLoadAvg("x y\n")).toThrow(ProcParseError);
    expect(() => parseUptime("\n")).toThrow(ProcParseError);
  });
});

describe("/proc parsers against this machine's /proc", () => {
  it("meminfo total matches the kernel's figure Node reports; available is within it", async () => {
    const mem = parseMemInfo(await readFile("/proc/meminfo", "utf8"));
    expect(mem.totalBytes).toBe(totalmem());
    expect(mem.availableBytes).toBeGreaterThan(0);
    expect(mem.availableBytes).toBeLessThanOrEqual(mem.totalBytes);
  });

  it("cpu count, load average and uptime agree with Node's own readings", async () => {
    const snap = await readProc("/proc");
    expect(snap.stat.cpuCount).toBe(cpus().length);
    const [l1, l5, l15] = loadavg();
    expect(snap.loadAverage[0]).toBeCloseTo(l1 ?? -1, 0);
    expect(snap.loadAverage[1]).toBeCloseTo(l5 ?? -1, 0);
    expect(snap.loadAverage[2]).toBeCloseTo(l15 ?? -1, 0);
    expect(Math.abs(snap.uptimeSeconds - uptime())).toBeLessThan(2);
  });

  it("cpu percent over a busy interval is above zero and at most 100", async () => {
    const before = await readProc("/proc");
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // keep one core busy so the interval has measurable work
    }
    const after = await readProc("/proc");
    const pct = cpuPercent(before, after);
    // One of N cores spun the whole time: at least a share of it must show.
    expect(pct).toBeGreaterThan(100 / after.stat.cpuCount / 4);
    expect(pct).toBeLessThanOrEqual(100);
  });
});
