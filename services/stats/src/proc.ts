// Parsers for the /proc files the sampler reads. Pure functions over file text, so tests can feed
// them fixtures; `readProc` does the I/O against an injectable root.
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Aggregate CPU jiffies from the first `cpu` line of /proc/stat, reduced to what psutil uses. */
export interface CpuTimes {
  /** All time except guest/guest_nice (already counted in user/nice). */
  total: number;
  /** idle + iowait. */
  idle: number;
}

export interface ProcStat {
  cpu: CpuTimes;
  /** Number of `cpuN` lines: the logical CPUs the aggregate covers. */
  cpuCount: number;
}

export interface MemInfo {
  totalBytes: number;
  availableBytes: number;
}

export interface ProcSnapshot {
  stat: ProcStat;
  mem: MemInfo;
  loadAverage: [number, number, number];
  uptimeSeconds: number;
}

export class ProcParseError extends Error {
  override name = "ProcParseError";
}

export function parseProcStat(text: string): ProcStat {
  let cpu: CpuTimes | undefined;
  let cpuCount = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("cpu ")) {
      const f = line.trim().split(/\s+/).slice(1).map(decimal);
      if (f.length < 4 || f.some((n) => !Number.isFinite(n))) {
        throw new ProcParseError(`/proc/stat: malformed cpu line: ${line}`);
      }
      // user nice system idle iowait irq softirq steal guest guest_nice (later kernels add fields)
      const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
      cpu = { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait };
    } else if (/^cpu\d+\s/.test(line)) {
      cpuCount++;
    }
  }
  if (!cpu) throw new ProcParseError("/proc/stat: no aggregate cpu line");
  return { cpu, cpuCount: Math.max(cpuCount, 1) };
}

export function parseMemInfo(text: string): MemInfo {
  const kb = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?\s*$/.exec(line);
    if (m?.[1] && m[2]) kb.set(m[1], Number(m[2]));
  }
  const total = kb.get("MemTotal");
  if (total === undefined) throw new ProcParseError("/proc/meminfo: no MemTotal");
  // MemAvailable exists since Linux 3.14; before that psutil estimates it the same way.
  const available = kb.get("MemAvailable") ?? (kb.get("MemFree") ?? 0) + (kb.get("Buffers") ?? 0) + (kb.get("Cached") ?? 0);
  return { totalBytes: total * 1024, availableBytes: Math.min(available, total) * 1024 };
}

/** Number() turns "" into 0; /proc fields are plain decimals, so accept only those. */
function decimal(field: string | undefined): number {
  return field !== undefined && /^\d+(\.\d+)?$/.test(field) ? Number(field) : Number.NaN;
}

export function parseLoadAvg(text: string): [number, number, number] {
  const [a, b, c] = text.trim().split(/\s+/).map(decimal);
  if (![a, b, c].every((n) => typeof n === "number" && Number.isFinite(n))) {
    throw new ProcParseError(`/proc/loadavg: malformed: ${text.trim()}`);
  }
  return [a as number, b as number, c as number];
}

export function parseUptime(text: string): number {
  const up = decimal(text.trim().split(/\s+/)[0]);
  if (!Number.isFinite(up)) throw new ProcParseError(`/proc/uptime: malformed: ${text.trim()}`);
  return up;
}

export async function readProc(procRoot: string): Promise<ProcSnapshot> {
  const read = (name: string) => readFile(join(procRoot, name), "utf8");
  const [stat, mem, load, up] = await Promise.all([read("stat"), read("meminfo"), read("loadavg"), read("uptime")]);
  return {
    stat: parseProcStat(stat),
    mem: parseMemInfo(mem),
    loadAverage: parseLoadAvg(load),
    uptimeSeconds: parseUptime(up),
  };
}
