import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { closeStandIns, standIn } from "../lib/stand-in.ts";

const script = new URL("alerts.py", import.meta.url).pathname;
const alerts = (...args: string[]) => python3([script, ...args]);
afterEach(closeStandIns);

const notification = (path: string, status: string, service: string) =>
  JSON.stringify({ path, body: { alerts: [{ status, labels: { alertname: "FlotillaTargetDown", service } }] } });

describe("ci/observability/alerts.py", () => {
  it("states: each alert's service and state from Alertmanager's API, filtered by name", async () => {
    let asked = "";
    const am = await standIn((req, res) => {
      asked = decodeURIComponent(req.url ?? "");
      res.end(
        JSON.stringify([
          { labels: { alertname: "X", service: "stats" }, status: { state: "active" } },
          { labels: { alertname: "X", service: "hello" }, status: { state: "suppressed" } },
        ]),
      );
    });
    expect(await alerts("states", am, "X")).toMatchObject({ code: 0, stdout: "hello=suppressed\nstats=active\n" });
    expect(asked).toBe('/api/v2/alerts?filter=alertname="X"');
  });

  it("bad arguments: usage, exit 2", async () => {
    for (const args of [[], ["delivered", "f", "X", "firing", "hello"], ["states", "http://x"]])
      expect((await alerts(...args)).code).toBe(2);
  });
});
