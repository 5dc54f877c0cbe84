import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const script = new URL("unfixed-default-metrics.ts", import.meta.url).pathname;

describe("ci/observability/unfixed-default-metrics.ts", () => {
  it("prints prom-client's defaults with the gauges named like counters the kit renames", () => {
    const out = execFileSync(process.execPath, [script], { encoding: "utf8" });
    expect(out).toContain("# TYPE nodejs_active_handles_total gauge");
    expect(out).toContain("# TYPE process_cpu_seconds_total counter");
  });
});
