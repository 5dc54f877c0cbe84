// What a row of the bench's table holds: every figure is the median of its rounds with their
// spread (min–max), and the load average of the machine while it was taken.

export interface Stat {
  median: number;
  min: number;
  max: number;
  /** How many rounds. */
  n: number;
}

export interface Row {
  /** The comparison it belongs to ("hello GET /hello"); the table and the chart group by it. */
  group: string;
  /** The server or variant measured. */
  name: string;
  requestsPerSec?: Stat;
  p99Ms?: Stat;
  /** Server CPU time (user + system, /proc) per request or call, in microseconds. */
  cpuUsPerRequest?: Stat;
  /** The machine's 1-minute load average during the rounds. */
  load?: Stat;
  /** Anything else (start times, memory, cache hits), already formatted, and the target where there is one. */
  note?: string;
}

export function summarise(values: number[]): Stat {
  if (values.length === 0) throw new Error("summarise: no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: sorted.length };
}

/** `median (min–max)`, with `digits` decimals. */
export function formatStat(stat: Stat | undefined, digits = 0): string {
  if (!stat) return "";
  const f = (v: number) => v.toFixed(digits);
  return stat.n === 1 ? f(stat.median) : `${f(stat.median)} (${f(stat.min)}–${f(stat.max)})`;
}

/** The rows of one group as a ratio of the median CPU per request to that of `baseline`. */
export function cpuRatio(rows: Row[], group: string, name: string, baseline: string): number | undefined {
  const of = (n: string) => rows.find((r) => r.group === group && r.name === n)?.cpuUsPerRequest?.median;
  const a = of(name);
  const b = of(baseline);
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}
