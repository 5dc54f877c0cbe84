import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { locateCgroup, parseCpuMax, parseLimitBytes, parseProcSelfCgroup, readCgroup } from "../src/cgroup.ts";
import { fsTree } from "./fs-tree.ts";

const MiB = 1024 * 1024;
const V1_UNLIMITED = "9223372036854771712";

async function read(root: string, selfCgroup: string) {
  const loc = await locateCgroup(root, selfCgroup);
  return { loc, reading: loc ? await readCgroup(loc) : null };
}

describe("cgroup file parsers", () => {
  it("parses /proc/self/cgroup for v1 and v2 lines", () => {
    const m = parseProcSelfCgroup("12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/system.slice/x.scope\n");
    expect(m.get("memory")).toBe("/docker/abc");
    expect(m.get("cpuacct")).toBe("/docker/abc");
    expect(m.get("")).toBe("/system.slice/x.scope");
  });

  it("treats max and the v1 sentinel as unlimited", () => {
    expect(parseLimitBytes("max")).toBeNull();
    expect(parseLimitBytes(V1_UNLIMITED)).toBeNull();
    expect(parseLimitBytes("536870912")).toBe(536870912);
    expect(parseLimitBytes("garbage")).toBeNull();
    expect(parseCpuMax("max 100000")).toEqual({ quotaMicros: null, periodMicros: 100000 });
    expect(parseCpuMax("50000 100000")).toEqual({ quotaMicros: 50000, periodMicros: 100000 });
  });
});

describe("cgroup v2", () => {
  it("reads a container's own cgroup (cgroup namespace: the mount is the cgroup)", async () => {
    const root = await fsTree({
      "cgroup.controllers": "cpu memory pids",
      "cgroup.procs": "1",
      "memory.max": String(512 * MiB),
      "memory.current": String(200 * MiB),
      "memory.stat": `anon 1000\nfile 5000\ninactive_file ${50 * MiB}\nactive_file 10\n`,
      "cpu.max": "50000 100000",
      "cpu.stat": "usage_usec 123456789\nuser_usec 100000000\nsystem_usec 23456789\n",
    });
    const { loc, reading } = await read(root, "0::/\n");
    expect(loc).toMatchObject({ version: 2, path: "/", memoryDir: root });
    expect(reading).toEqual({
      memory: { maxBytes: 512 * MiB, currentBytes: 200 * MiB, workingSetBytes: 150 * MiB },
      cpu: { quotaMicros: 50000, periodMicros: 100000, usageMicros: 123456789 },
    });
  });

  it("follows /proc/self/cgroup into the host tree and applies the tightest ancestor limit", async () => {
    const pod = "kubepods.slice/pod1";
    const root = await fsTree({
      "cgroup.controllers": "cpu memory",
      "cgroup.procs": "",
      "cpu.stat": "usage_usec 999999999\n",
      [`${pod}/cgroup.procs`]: "",
      [`${pod}/memory.max`]: String(1024 * MiB),
      [`${pod}/cpu.max`]: "200000 100000",
      [`${pod}/ctr/cgroup.procs`]: "7",
      [`${pod}/ctr/memory.max`]: "max",
      [`${pod}/ctr/memory.current`]: String(300 * MiB),
      [`${pod}/ctr/memory.stat`]: "inactive_file 0\n",
      [`${pod}/ctr/cpu.max`]: "max 100000",
      [`${pod}/ctr/cpu.stat`]: "usage_usec 5000000\n",
    });
    const { loc, reading } = await read(root, `0::/${pod}/ctr\n`);
    expect(loc?.memoryDir).toBe(join(root, pod, "ctr"));
    expect(reading?.memory.maxBytes).toBe(1024 * MiB);
    expect(reading?.cpu).toEqual({ quotaMicros: 200000, periodMicros: 100000, usageMicros: 5000000 });
  });

  it("reports unlimited as null and missing controller files as null", async () => {
    const root = await fsTree({
      "cgroup.controllers": "pids",
      "cgroup.procs": "1",
      "memory.max": "max",
    });
    const { reading } = await read(root, "0::/\n");
    expect(reading).toEqual({
      memory: { maxBytes: null, currentBytes: null, workingSetBytes: null },
      cpu: { quotaMicros: null, periodMicros: null, usageMicros: null },
    });
  });

  it("falls back to the mount when the /proc/self/cgroup path is not visible or escapes it", async () => {
    const root = await fsTree({ "cgroup.controllers": "memory", "cgroup.procs": "1", "memory.max": "1048576" });
    for (const self of ["0::/docker/not-here\n", "0::/../../etc\n"]) {
      const { loc, reading } = await read(root, self);
      expect(loc?.memoryDir).toBe(root);
      expect(reading?.memory.maxBytes).toBe(1048576);
    }
  });
});

describe("cgroup v1", () => {
  it("reads memory, cpu quota and cpuacct usage (cpu,cpuacct co-mounted, no symlinks)", async () => {
    const root = await fsTree({
      "memory/cgroup.procs": "",
      "memory/docker/abc/cgroup.procs": "1",
      "memory/docker/abc/memory.limit_in_bytes": String(256 * MiB),
      "memory/docker/abc/memory.usage_in_bytes": String(100 * MiB),
      "memory/docker/abc/memory.stat": `cache 10\nhierarchical_memory_limit ${256 * MiB}\ntotal_inactive_file ${20 * MiB}\n`,
      "cpu,cpuacct/cgroup.procs": "",
      "cpu,cpuacct/docker/abc/cgroup.procs": "1",
      "cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "150000",
      "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000",
      "cpu,cpuacct/docker/abc/cpuacct.usage": "2500000000",
    });
    const { loc, reading } = await read(root, "5:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n");
    expect(loc).toMatchObject({ version: 1, path: "/docker/abc" });
    expect(reading).toEqual({
      memory: { maxBytes: 256 * MiB, currentBytes: 100 * MiB, workingSetBytes: 80 * MiB },
      cpu: { quotaMicros: 150000, periodMicros: 100000, usageMicros: 2500000 },
    });
  });

  it("uses the hierarchical limit when a parent is tighter, -1 quota and the sentinel as unlimited", async () => {
    const root = await fsTree({
      "memory/cgroup.procs": "",
      "memory/memory.limit_in_bytes": V1_UNLIMITED,
      "memory/memory.usage_in_bytes": String(10 * MiB),
      "memory/memory.stat": `hierarchical_memory_limit ${64 * MiB}\ninactive_file 0\n`,
      "cpu/cgroup.procs": "",
      "cpu/cpu.cfs_quota_us": "-1",
      "cpu/cpu.cfs_period_us": "100000",
      "cpuacct/cgroup.procs": "",
      "cpuacct/cpuacct.usage": "1000",
    });
    const { reading } = await read(root, "4:memory:/\n");
    expect(reading?.memory.maxBytes).toBe(64 * MiB);
    expect(reading?.cpu).toEqual({ quotaMicros: null, periodMicros: 100000, usageMicros: 1 });
  });

  it("treats a hybrid host (v1 controllers + controller-less unified mount) as v1", async () => {
    const root = await fsTree({
      "unified/cgroup.controllers": "",
      "unified/cgroup.procs": "",
      "memory/cgroup.procs": "",
      "memory/memory.limit_in_bytes": V1_UNLIMITED,
      "memory/memory.usage_in_bytes": "4096",
    });
    const { loc, reading } = await read(root, "4:memory:/\n0::/\n");
    expect(loc?.version).toBe(1);
    expect(reading?.memory).toEqual({ maxBytes: null, currentBytes: 4096, workingSetBytes: 4096 });
  });
});

describe("no cgroup filesystem", () => {
  it("gives null", async () => {
    const root = await fsTree({ "something/else": "" });
    expect(await locateCgroup(root, "")).toBeNull();
    expect(await locateCgroup(join(root, "missing"), "")).toBeNull();
  });
});

describe("this machine's cgroup", () => {
  it("is found and its memory usage matches the file the kernel reports", async () => {
    expect(existsSync("/sys/fs/cgroup")).toBe(true);
    const self = await readFile("/proc/self/cgroup", "utf8");
    const { loc, reading } = await read("/sys/fs/cgroup", self);
    expect(loc).not.toBeNull();
    const file = loc?.version === 2 ? "memory.current" : "memory.usage_in_bytes";
    const dir = loc?.memoryDir;
    if (dir && existsSync(join(dir, file))) {
      const direct = Number(await readFile(join(dir, file), "utf8"));
      // Memory moves between the two reads: same order of magnitude is the check.
      expect(reading?.memory.currentBytes).toBeGreaterThan(direct / 2);
      expect(reading?.memory.currentBytes).toBeLessThan(direct * 2);
    } else {
      expect(reading?.memory.currentBytes).toBeNull();
    }
  });
});
