import { describe, expect, it } from "vitest";
import type { CgroupLocation, CgroupReading } from "../src/cgroup.ts";
import type { ProcSnapshot } from "../src/proc.ts";
import { computeSample, effectiveMemory, type Measurement, percent } from "../src/sample.ts";

const GiB = 1024 ** 3;

function proc(cpuTotal: number, cpuIdle: number, totalBytes = 8 * GiB, availableBytes = 6 * GiB): ProcSnapshot {
  return {
    stat: { cpu: { total: cpuTotal, idle: cpuIdle }, cpuCount: 4 },
    mem: { totalBytes, availableBytes },
    loadAverage: [1, 0.5, 0.25],
    uptimeSeconds: 100,
  };
}

function cgroupReading(maxBytes: number | null, workingSet: number, usageMicros: number, quota: number | null) {
  return {
    memory: { maxBytes, currentBytes: workingSet + 1000, workingSetBytes: workingSet },
    cpu: { quotaMicros: quota, periodMicros: 100000, usageMicros },
  } satisfies CgroupReading;
}

const v2: CgroupLocation = {
  version: 2,
  path: "/",
  memoryDir: "/x",
  cpuDir: "/x",
  cpuacctDir: "/x",
  memoryMount: "/x",
  cpuMount: "/x",
};

const m = (p: ProcSnapshot, cg: CgroupReading | null, monotonicMs: number): Measurement => ({
  proc: p,
  cgroup: cg,
  monotonicMs,
  wallMs: Date.UTC(2026, 10, 22, 21, 0, 0) + monotonicMs,
});

describe("percent", () => {
  it("rounds to one decimal, clamps, and is 0 for an empty interval", () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(5, 0)).toBe(0);
    expect(percent(-1, 10)).toBe(0);
    expect(percent(11, 10)).toBe(100);
  });
});

describe("computeSample", () => {
  it("cpu is the busy share of the interval, ram is (total - available) / total on a host", () => {
    const s = computeSample(m(proc(1000, 800), null, 0), m(proc(1400, 1100), null, 1000), {
      location: null,
      intervalMs: 1000,
      seq: 7,
    });
    // 400 jiffies elapsed, 300 idle -> 25 % busy
    expect(s.cpu).toBe(25);
    expect(s.ram).toBe(25);
    expect(s.memory).toEqual({
      source: "proc",
      totalBytes: 8 * GiB,
      availableBytes: 6 * GiB,
      usedBytes: 2 * GiB,
      hostTotalBytes: 8 * GiB,
      hostAvailableBytes: 6 * GiB,
    });
    expect(s).toMatchObject({ cpuCount: 4, loadAverage: [1, 0.5, 0.25], uptimeSeconds: 100, cgroup: null, seq: 7 });
    expect(s.sampledAt).toBe("2026-11-22T21:00:01.000Z");
  });

  it("uses a lower cgroup memory limit as total and reports the container's CPU share of its limit", () => {
    const prev = m(proc(0, 0), cgroupReading(GiB, 0, 1_000_000, 50000), 0);
    const cur = m(proc(100, 50), cgroupReading(GiB, GiB / 4, 1_250_000, 50000), 1000);
    const s = computeSample(prev, cur, { location: v2, intervalMs: 1000, seq: 1 });
    expect(s.memory.source).toBe("cgroup-v2");
    expect(s.memory.totalBytes).toBe(GiB);
    expect(s.memory.usedBytes).toBe(GiB / 4);
    expect(s.ram).toBe(25);
    // 0.25 s of CPU in 1 s of wall time against a 0.5-core limit -> 50 %
    expect(s.cgroup?.cpu).toEqual({
      quotaMicros: 50000,
      periodMicros: 100000,
      limitCores: 0.5,
      usageSeconds: 1.25,
      usagePercent: 50,
    });
    expect(s.cgroup?.memory.maxBytes).toBe(GiB);
  });

  it("without a CPU limit, the cgroup share is against all CPUs", () => {
    const prev = m(proc(0, 0), cgroupReading(null, 0, 0, null), 0);
    const cur = m(proc(100, 50), cgroupReading(null, 0, 1_000_000, null), 1000);
    const s = computeSample(prev, cur, { location: v2, intervalMs: 1000, seq: 1 });
    expect(s.cgroup?.cpu.limitCores).toBeNull();
    expect(s.cgroup?.cpu.usagePercent).toBe(25); // 1 core-second of 4
    expect(s.memory.source).toBe("proc");
  });
});

describe("effectiveMemory", () => {
  it("ignores a cgroup limit above the host's memory", () => {
    const mem = effectiveMemory(proc(0, 0), cgroupReading(64 * GiB, GiB, 0, null), 1);
    expect(mem.source).toBe("proc");
    expect(mem.totalBytes).toBe(8 * GiB);
  });

  it("never reports more available than the host has free", () => {
    const mem = effectiveMemory(proc(0, 0, 8 * GiB, GiB / 2), cgroupReading(4 * GiB, GiB, 0, null), 1);
    expect(mem).toMatchObject({ source: "cgroup-v1", totalBytes: 4 * GiB, availableBytes: GiB / 2 });
  });

  it("is 0 available, not negative, when usage exceeds the limit", () => {
    const mem = effectiveMemory(proc(0, 0), cgroupReading(GiB, 2 * GiB, 0, null), 2);
    expect(mem).toMatchObject({ availableBytes: 0, usedBytes: GiB });
  });
});
