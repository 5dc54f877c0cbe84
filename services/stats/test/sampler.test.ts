import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type PublishedSample, Sampler } from "../src/sampler.ts";
import { fsTree, procFiles } from "./fs-tree.ts";

let sampler: Sampler | undefined;
afterEach(() => sampler?.stop());

describe("Sampler", () => {
  it("has no sample until one interval after the baseline, then publishes to listeners", async () => {
    const procRoot = await fsTree(procFiles({ cpu: [100, 0, 100, 800], memTotalKb: 1000, memAvailableKb: 750 }));
    const cgroupRoot = await fsTree({});
    sampler = new Sampler({ procRoot, cgroupRoot, intervalMs: 60_000 });
    await sampler.start();
    expect(sampler.latest).toBeNull();
    expect(sampler.cgroupLocation).toBeNull();

    const seen: PublishedSample[] = [];
    const unsubscribe = sampler.subscribe((p) => seen.push(p));
    // 200 more jiffies: 50 busy, 150 idle -> 25 %
    await writeFile(join(procRoot, "stat"), "cpu  125 0 125 950\ncpu0 1 1 1 1\n");
    await sampler.tick();
    expect(sampler.latest?.sample).toMatchObject({ cpu: 25, ram: 25, seq: 1, cpuCount: 1 });
    expect(JSON.parse(sampler.latest?.json ?? "")).toEqual(sampler.latest?.sample);
    expect(seen).toHaveLength(1);

    unsubscribe();
    await sampler.tick();
    expect(sampler.latest?.sample.seq).toBe(2);
    expect(seen).toHaveLength(1);
    expect(sampler.listenerCount).toBe(0);
  });

  it("keeps the previous sample and reports the error when a measurement fails", async () => {
    const procRoot = await fsTree(procFiles({ cpu: [1, 0, 1, 8], memTotalKb: 1000, memAvailableKb: 500 }));
    const errors: unknown[] = [];
    sampler = new Sampler({ procRoot, cgroupRoot: procRoot, intervalMs: 60_000, onError: (e) => errors.push(e) });
    await sampler.start();
    await sampler.tick();
    const first = sampler.latest;
    await writeFile(join(procRoot, "meminfo"), "garbage\n");
    await sampler.tick();
    expect(errors).toHaveLength(1);
    expect(sampler.latest).toBe(first);
  });

  it("fails to start when /proc is not there", async () => {
    sampler = new Sampler({ procRoot: "/nonexistent-proc", cgroupRoot: "/nonexistent", intervalMs: 1000 });
    await expect(sampler.start()).rejects.toThrow(/ENOENT/);
  });

  it("samples on its own timer", async () => {
    sampler = new Sampler({ procRoot: "/proc", cgroupRoot: "/sys/fs/cgroup", intervalMs: 100 });
    await sampler.start();
    const published = await new Promise<PublishedSample>((resolve) => sampler?.subscribe(resolve));
    expect(published.sample.seq).toBe(1);
    expect(published.sample.intervalMs).toBe(100);
    expect(published.sample.ram).toBeGreaterThan(0);
  });
});
