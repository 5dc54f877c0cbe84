// Turns two consecutive measurements into the public sample (the GET /stats body). Pure: the
// semantics documented in README.md ("Precise semantics") live here and only here.

import type { MemorySource, StatsSample } from "@flotilla/contracts/stats-sample";
import type { CgroupLocation, CgroupReading } from "./cgroup.ts";
import type { ProcSnapshot } from "./proc.ts";

export interface Measurement {
  proc: ProcSnapshot;
  cgroup: CgroupReading | null;
  /** Monotonic clock (ms) when measured: CPU rates divide by this, never by wall-clock deltas. */
  monotonicMs: number;
  /** Wall clock (ms since epoch) when measured. */
  wallMs: number;
}

export type { MemorySource, StatsSample } from "@flotilla/contracts/stats-sample";

/** psutil rounds its percentages to one decimal; so do we, and never outside 0-100. */
export function percent(part: number, whole: number): number {
  if (!(whole > 0) || !Number.isFinite(part)) return 0;
  const p = (part / whole) * 100;
  return Math.round(Math.min(100, Math.max(0, p)) * 10) / 10;
}

/** psutil.cpu_percent(): busy share of the aggregate /proc/stat cpu line between two readings. */
export function cpuPercent(prev: ProcSnapshot, cur: ProcSnapshot): number {
  const dTotal = cur.stat.cpu.total - prev.stat.cpu.total;
  const dIdle = cur.stat.cpu.idle - prev.stat.cpu.idle;
  return percent(dTotal - dIdle, dTotal);
}

/** The memory the process can use: the host's, or its cgroup limit when that is lower. */
export function effectiveMemory(proc: ProcSnapshot, cgroup: CgroupReading | null, version: 1 | 2 | null): StatsSample["memory"] {
  const host = proc.mem;
  const limit = cgroup?.memory.maxBytes ?? null;
  const inUse = cgroup?.memory.workingSetBytes ?? cgroup?.memory.currentBytes ?? null;
  let source: MemorySource = "proc";
  let total = host.totalBytes;
  let available = host.availableBytes;
  if (version !== null && limit !== null && inUse !== null && limit < host.totalBytes) {
    source = version === 2 ? "cgroup-v2" : "cgroup-v1";
    total = limit;
    // Room left under the limit, but never more than the host really has free.
    available = Math.max(0, Math.min(limit - inUse, host.availableBytes));
  }
  return {
    source,
    totalBytes: total,
    availableBytes: available,
    usedBytes: total - available,
    hostTotalBytes: host.totalBytes,
    hostAvailableBytes: host.availableBytes,
  };
}

export function computeSample(
  prev: Measurement,
  cur: Measurement,
  ctx: { location: CgroupLocation | null; intervalMs: number; seq: number },
): StatsSample {
  const memory = effectiveMemory(cur.proc, cur.cgroup, ctx.location?.version ?? null);
  const cpuCount = cur.proc.stat.cpuCount;
  let cgroup: StatsSample["cgroup"] = null;
  if (ctx.location && cur.cgroup) {
    const { quotaMicros, periodMicros, usageMicros } = cur.cgroup.cpu;
    const limitCores = quotaMicros !== null && periodMicros ? quotaMicros / periodMicros : null;
    const prevUsage = prev.cgroup?.cpu.usageMicros ?? null;
    const elapsedMicros = (cur.monotonicMs - prev.monotonicMs) * 1000;
    const usagePercent =
      usageMicros !== null && prevUsage !== null && elapsedMicros > 0
        ? percent(usageMicros - prevUsage, elapsedMicros * (limitCores ?? cpuCount))
        : null;
    cgroup = {
      version: ctx.location.version,
      path: ctx.location.path,
      memory: { ...cur.cgroup.memory },
      cpu: {
        quotaMicros,
        periodMicros,
        limitCores,
        usageSeconds: usageMicros === null ? null : Math.round(usageMicros) / 1e6,
        usagePercent,
      },
    };
  }
  return {
    ram: percent(memory.usedBytes, memory.totalBytes),
    cpu: cpuPercent(prev.proc, cur.proc),
    cpuCount,
    loadAverage: cur.proc.loadAverage,
    uptimeSeconds: cur.proc.uptimeSeconds,
    memory,
    cgroup,
    sampledAt: new Date(cur.wallMs).toISOString(),
    intervalMs: ctx.intervalMs,
    seq: ctx.seq,
  };
}
