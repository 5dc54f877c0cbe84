// Finds the process's cgroup (v2 unified, or v1 legacy/hybrid) under an injectable root and reads
// its memory and CPU limits and usage. Every value is optional: a file that is missing or
// unreadable (controller not enabled, root cgroup, older kernel) gives null, never an error.
import { access, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";

export type CgroupVersion = 1 | 2;

export interface CgroupLocation {
  version: CgroupVersion;
  /** The process's cgroup path as /proc/self/cgroup shows it (memory controller's for v1). */
  path: string;
  /** Directories holding the controller files, or null when the controller is not mounted. */
  memoryDir: string | null;
  cpuDir: string | null;
  cpuacctDir: string | null;
  /** Mount points the directories above live under: the limit walk stops there. */
  memoryMount: string | null;
  cpuMount: string | null;
}

export interface CgroupReading {
  memory: { maxBytes: number | null; currentBytes: number | null; workingSetBytes: number | null };
  cpu: { quotaMicros: number | null; periodMicros: number | null; usageMicros: number | null };
}

/** Parses /proc/self/cgroup into controller -> path ("" for the v2 unified line). */
export function parseProcSelfCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, , controllers = "", path = "/"] = m;
    if (controllers === "") out.set("", path);
    for (const c of controllers.split(",")) if (c) out.set(c, path);
  }
  return out;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

async function readText(p: string): Promise<string | null> {
  try {
    return (await readFile(p, "utf8")).trim();
  } catch {
    return null;
  }
}

/**
 * Above this a byte count is the kernel's "no limit" sentinel (v1: 2^63 rounded to a page)
 * rather than a real limit; it is also where JS numbers stop being exact.
 */
const UNLIMITED_ABOVE = Number.MAX_SAFE_INTEGER;

export function parseLimitBytes(text: string | null): number | null {
  if (text === null || text === "max" || !/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n > UNLIMITED_ABOVE ? null : n;
}

function parseCount(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  return Number(text);
}

/** `key value` lines (memory.stat, cpu.stat) -> map. */
export function parseKeyValues(text: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (text ?? "").split("\n")) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v && /^\d+$/.test(v)) out.set(k, Number(v));
  }
  return out;
}

/** v2 cpu.max: "max 100000" or "50000 100000". */
export function parseCpuMax(text: string | null): { quotaMicros: number | null; periodMicros: number | null } {
  const [q, p] = (text ?? "").split(/\s+/);
  const periodMicros = p && /^\d+$/.test(p) ? Number(p) : null;
  const quotaMicros = q && /^\d+$/.test(q) ? Number(q) : null;
  return { quotaMicros, periodMicros };
}

/** Joins a /proc/self/cgroup path onto a mount; falls back to the mount itself when the path is
 * not visible there (a container with its own cgroup namespace mounts its cgroup as the root). */
async function controllerDir(mount: string, path: string, probeFile: string): Promise<string> {
  const candidate = resolve(mount, `.${path}`);
  const inside = !relative(mount, candidate).startsWith("..");
  if (inside && candidate !== mount && (await exists(join(candidate, probeFile)))) return candidate;
  return mount;
}

export async function locateCgroup(cgroupRoot: string, procSelfCgroup: string): Promise<CgroupLocation | null> {
  const root = resolve(cgroupRoot);
  const paths = parseProcSelfCgroup(procSelfCgroup);
  if (await exists(join(root, "cgroup.controllers"))) {
    const path = paths.get("") ?? "/";
    const dir = await controllerDir(root, path, "cgroup.procs");
    return { version: 2, path, memoryDir: dir, cpuDir: dir, cpuacctDir: dir, memoryMount: root, cpuMount: root };
  }
  // v1 (also hybrid: v1 controllers beside a controller-less "unified" mount).
  const mountOf = async (candidates: string[]) => {
    for (const name of candidates) {
      const p = join(root, name);
      if (await exists(join(p, "cgroup.procs"))) return p;
    }
    return null;
  };
  const [memMount, cpuMount, cpuacctMount] = await Promise.all([
    mountOf(["memory"]),
    // cpu and cpuacct are often co-mounted as "cpu,cpuacct" (with symlinks, but not always)
    mountOf(["cpu", "cpu,cpuacct", "cpuacct,cpu"]),
    mountOf(["cpuacct", "cpu,cpuacct", "cpuacct,cpu"]),
  ]);
  if (!memMount && !cpuMount && !cpuacctMount) return null;
  const dirFor = async (mount: string | null, controller: string, probe: string) =>
    mount ? controllerDir(mount, paths.get(controller) ?? "/", probe) : null;
  const [memoryDir, cpuDir, cpuacctDir] = await Promise.all([
    dirFor(memMount, "memory", "memory.usage_in_bytes"),
    dirFor(cpuMount, "cpu", "cpu.cfs_period_us"),
    dirFor(cpuacctMount, "cpuacct", "cpuacct.usage"),
  ]);
  return {
    version: 1,
    path: paths.get("memory") ?? paths.get("cpu") ?? "/",
    memoryDir,
    cpuDir,
    cpuacctDir,
    memoryMount: memMount,
    cpuMount,
  };
}

/** The directory and its ancestors up to (and including) the mount. */
function lineage(dir: string, mount: string): string[] {
  const out = [dir];
  let d = dir;
  while (d !== mount && d.startsWith(mount) && dirname(d) !== d) {
    d = dirname(d);
    out.push(d);
  }
  return out;
}

const minOrNull = (xs: (number | null)[]): number | null => {
  const real = xs.filter((x): x is number => x !== null);
  return real.length ? Math.min(...real) : null;
};

/** The tightest quota/period among the cgroup and its ancestors (a parent's limit binds the child). */
async function tightestCpuLimit(
  dirs: string[],
  readOne: (dir: string) => Promise<{ quotaMicros: number | null; periodMicros: number | null }>,
): Promise<{ quotaMicros: number | null; periodMicros: number | null }> {
  const all = await Promise.all(dirs.map(readOne));
  let best: { quotaMicros: number | null; periodMicros: number | null } = all[0] ?? {
    quotaMicros: null,
    periodMicros: null,
  };
  for (const l of all) {
    if (l.quotaMicros === null || !l.periodMicros) continue;
    const bestRatio = best.quotaMicros !== null && best.periodMicros ? best.quotaMicros / best.periodMicros : Infinity;
    if (l.quotaMicros / l.periodMicros < bestRatio) best = l;
  }
  return best;
}

async function readV2(loc: CgroupLocation): Promise<CgroupReading> {
  const dir = loc.memoryDir as string;
  const mount = loc.memoryMount as string;
  const dirs = lineage(dir, mount);
  const [maxes, current, memStat, cpuStat, cpuLimit] = await Promise.all([
    Promise.all(dirs.map((d) => readText(join(d, "memory.max")).then(parseLimitBytes))),
    readText(join(dir, "memory.current")).then(parseCount),
    readText(join(dir, "memory.stat")).then(parseKeyValues),
    readText(join(dir, "cpu.stat")).then(parseKeyValues),
    tightestCpuLimit(dirs, async (d) => parseCpuMax(await readText(join(d, "cpu.max")))),
  ]);
  const inactive = memStat.get("inactive_file");
  return {
    memory: {
      maxBytes: minOrNull(maxes),
      currentBytes: current,
      workingSetBytes: current === null ? null : Math.max(0, current - (inactive ?? 0)),
    },
    cpu: { ...cpuLimit, usageMicros: cpuStat.get("usage_usec") ?? null },
  };
}

async function readV1(loc: CgroupLocation): Promise<CgroupReading> {
  const mem = loc.memoryDir;
  const [limit, current, memStat, usageNanos, cpuLimit] = await Promise.all([
    mem ? readText(join(mem, "memory.limit_in_bytes")).then(parseLimitBytes) : null,
    mem ? readText(join(mem, "memory.usage_in_bytes")).then(parseCount) : null,
    mem ? readText(join(mem, "memory.stat")).then(parseKeyValues) : new Map<string, number>(),
    loc.cpuacctDir ? readText(join(loc.cpuacctDir, "cpuacct.usage")).then(parseCount) : null,
    loc.cpuDir && loc.cpuMount
      ? tightestCpuLimit(lineage(loc.cpuDir, loc.cpuMount), async (d) => {
          const [q, p] = await Promise.all([readText(join(d, "cpu.cfs_quota_us")), readText(join(d, "cpu.cfs_period_us"))]);
          // quota -1 = unlimited
          return { quotaMicros: q && /^\d+$/.test(q) ? Number(q) : null, periodMicros: parseCount(p) };
        })
      : { quotaMicros: null, periodMicros: null },
  ]);
  // v1 applies ancestors' limits too; memory.stat already reports the effective one.
  const h = memStat.get("hierarchical_memory_limit");
  const hierarchical = h === undefined || h > UNLIMITED_ABOVE ? null : h;
  const inactive = memStat.get("total_inactive_file") ?? memStat.get("inactive_file");
  return {
    memory: {
      maxBytes: minOrNull([limit, hierarchical]),
      currentBytes: current,
      workingSetBytes: current === null ? null : Math.max(0, current - (inactive ?? 0)),
    },
    cpu: { ...cpuLimit, usageMicros: usageNanos === null ? null : usageNanos / 1000 },
  };
}

export function readCgroup(loc: CgroupLocation): Promise<CgroupReading> {
  return loc.version === 2 ? readV2(loc) : readV1(loc);
}
