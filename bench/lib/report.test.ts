import { describe, expect, it } from "vitest";
import { summarise } from "./figures.ts";
import { cpuChart, markdownTable } from "./report.ts";

const rows = [
  {
    group: "hello <GET>",
    name: "bare node:http",
    requestsPerSec: summarise([20000, 21000, 22000]),
    cpuUsPerRequest: summarise([18, 19, 20]),
  },
  { group: "hello <GET>", name: "hello & kit", cpuUsPerRequest: summarise([24, 25, 26]), note: "x" },
  { group: "start", name: "bundle", note: "start to ready 250 ms" },
];

describe("report", () => {
  it("draws one bar per row with CPU per request, its whisker and value, escaped", () => {
    const svg = cpuChart(rows, "title");
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg.match(/<line /g)).toHaveLength(2);
    expect(svg).toContain(">25.0</text>");
    expect(svg).toContain("hello &lt;GET&gt;");
    expect(svg).toContain("hello &amp; kit");
    expect(svg).not.toContain("bundle");
  });

  it("tabulates every row, figures as median (spread)", () => {
    const table = markdownTable(rows).split("\n");
    expect(table).toHaveLength(5);
    expect(table[2]).toBe("| hello <GET> | bare node:http | 21000 (20000–22000) |  | 19.0 (18.0–20.0) |  |  |");
    expect(table[4]).toContain("start to ready 250 ms");
  });
});
