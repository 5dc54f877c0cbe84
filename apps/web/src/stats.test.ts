import { describe, expect, it } from "vitest";
import { sampleAt } from "../test/fake-stats-server.ts";
import { parseStats } from "./stats.ts";

describe("parseStats", () => {
  it("reads the documented shape", () => {
    const s = parseStats(sampleAt(3, 1000));
    expect(s?.ram).toBe(43);
    expect(s?.cpu).toBe(31);
    expect(s?.cgroup?.cpu.limitCores).toBe(0.5);
    expect(s?.memory?.source).toBe("cgroup-v2");
    expect(s?.intervalMs).toBe(1000);
  });

  it("accepts the seed's minimal {ram, cpu}", () => {
    const s = parseStats({ ram: 37.4, cpu: 12.5 });
    expect(s).toEqual({ ram: 37.4, cpu: 12.5 });
  });

  it.each([null, "x", [], {}, { ram: "1", cpu: 2 }, { ram: 1 }, { ram: Number.NaN, cpu: 1 }])("rejects %j", (bad) => {
    expect(parseStats(bad)).toBeNull();
  });

  it("shows only ram and cpu from a payload that breaks the contract", () => {
    const s = parseStats({ ram: 1, cpu: 2, loadAverage: [1, "x", null, 2], cgroup: "v2", cpuCount: "2" });
    expect(s).toEqual({ ram: 1, cpu: 2 });
  });
});
