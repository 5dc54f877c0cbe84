import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";

const script = new URL("broken-dashboards.py", import.meta.url).pathname;
const fleet = new URL("../../deploy/monitoring/grafana/dashboards/flotilla-fleet.json", import.meta.url).pathname;

describe("ci/observability/broken-dashboards.py", () => {
  it("writes four copies of the dashboard, each with one mistake in its second panel", async () => {
    const out = mkdtempSync(join(tmpdir(), "dash-test-"));
    expect(await python3([script, fleet, out])).toMatchObject({ code: 0, stderr: "" });
    const original = JSON.parse(readFileSync(fleet, "utf8"));
    const copy = (name: string) => JSON.parse(readFileSync(join(out, `${name}.json`), "utf8"));
    const panel = original.panels[1];

    const { gridPos, ...rest } = panel;
    expect(copy("bad-field").panels[1]).toEqual({ ...rest, gridPoz: gridPos });
    expect(copy("no-query").panels[1]).toEqual({ ...panel, targets: [] });
    expect(copy("fixed-datasource").panels[1].targets[0].datasource.uid).toBe("prom-prod");
    expect(panel.targets[0].datasource.uid).not.toBe("prom-prod");
    expect(copy("no-data").panels[1].targets[0].expr).toBe("sum(flotilla_no_such_series_total)");
    for (const name of ["bad-field", "no-query", "fixed-datasource", "no-data"]) {
      expect({ ...copy(name), panels: [] }).toEqual({ ...original, panels: [] }); // only the panel changed
    }
  });

  it("bad arguments: usage, exit 2", async () => {
    expect(await python3([script, fleet])).toMatchObject({ code: 2 });
  });
});
