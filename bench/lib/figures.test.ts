import { describe, expect, it } from "vitest";
import { cpuRatio, formatStat, summarise } from "./figures.ts";

describe("figures", () => {
  it("summarises rounds as median and spread", () => {
    expect(summarise([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(summarise([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(() => summarise([])).toThrow();
    expect(formatStat(summarise([18.24, 19.5, 20.04]), 1)).toBe("19.5 (18.2–20.0)");
    expect(formatStat(summarise([7]))).toBe("7");
    expect(formatStat(undefined)).toBe("");
  });

  it("compares CPU per request within a group", () => {
    const rows = [
      { group: "g", name: "bare", cpuUsPerRequest: summarise([20]) },
      { group: "g", name: "hello", cpuUsPerRequest: summarise([25]) },
      { group: "other", name: "hello", cpuUsPerRequest: summarise([99]) },
    ];
    expect(cpuRatio(rows, "g", "hello", "bare")).toBe(1.25);
    expect(cpuRatio(rows, "g", "missing", "bare")).toBeUndefined();
  });
});
