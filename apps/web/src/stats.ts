// The shape of one sample from the stats service (services/stats/README.md), and a parser
// that rejects anything else so a bad payload can never put NaN or undefined on screen.

export interface CgroupInfo {
  version: number;
  path: string;
  memory: {
    maxBytes: number | null;
    currentBytes: number | null;
    workingSetBytes: number | null;
  };
  cpu: {
    quotaMicros: number | null;
    periodMicros: number | null;
    limitCores: number | null;
    usageSeconds: number | null;
    usagePercent: number | null;
  };
}

export interface StatsSample {
  ram: number;
  cpu: number;
  cpuCount: number | null;
  loadAverage: number[];
  uptimeSeconds: number | null;
  memory: {
    source: string;
    totalBytes: number | null;
    availableBytes: number | null;
    usedBytes: number | null;
  };
  cgroup: CgroupInfo | null;
  sampledAt: string | null;
  intervalMs: number | null;
  seq: number | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

function parseCgroup(v: unknown): CgroupInfo | null {
  if (!isObject(v)) return null;
  const memory = isObject(v.memory) ? v.memory : {};
  const cpu = isObject(v.cpu) ? v.cpu : {};
  return {
    version: num(v.version) ?? 0,
    path: str(v.path) ?? "",
    memory: {
      maxBytes: num(memory.maxBytes),
      currentBytes: num(memory.currentBytes),
      workingSetBytes: num(memory.workingSetBytes),
    },
    cpu: {
      quotaMicros: num(cpu.quotaMicros),
      periodMicros: num(cpu.periodMicros),
      limitCores: num(cpu.limitCores),
      usageSeconds: num(cpu.usageSeconds),
      usagePercent: num(cpu.usagePercent),
    },
  };
}

/** Returns the sample, or null when `value` lacks the two numbers the dashboard is about. */
export function parseStats(value: unknown): StatsSample | null {
  if (!isObject(value)) return null;
  const ram = num(value.ram);
  const cpu = num(value.cpu);
  if (ram === null || cpu === null) return null;
  const memory = isObject(value.memory) ? value.memory : {};
  return {
    ram,
    cpu,
    cpuCount: num(value.cpuCount),
    loadAverage: Array.isArray(value.loadAverage) ? value.loadAverage.map(num).filter((n): n is number => n !== null) : [],
    uptimeSeconds: num(value.uptimeSeconds),
    memory: {
      source: str(memory.source) ?? "proc",
      totalBytes: num(memory.totalBytes),
      availableBytes: num(memory.availableBytes),
      usedBytes: num(memory.usedBytes),
    },
    cgroup: parseCgroup(value.cgroup),
    sampledAt: str(value.sampledAt),
    intervalMs: num(value.intervalMs),
    seq: num(value.seq),
  };
}
