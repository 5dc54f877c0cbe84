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
  it("delivered: 0 when the pager got it, 2 when another receiver did, 1 when nothing (yet)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "alerts-test-"));
    const record = join(dir, "alerts.jsonl");
    writeFileSync(record, [notification("/default", "firing", "stats"), notification("/pager", "firing", "hello")].join("\n"));
    expect(await alerts("delivered", record, "FlotillaTargetDown", "firing", "hello")).toMatchObject({ code: 0 });
    expect(await alerts("delivered", record, "FlotillaTargetDown", "firing", "stats")).toMatchObject({
      code: 2,
      stderr: "FlotillaTargetDown firing for stats went to /default, not /pager\n",
    });
    expect(await alerts("delivered", record, "FlotillaTargetDown", "resolved", "hello")).toMatchObject({ code: 1 });
    expect(await alerts("delivered", join(dir, "none.jsonl"), "FlotillaTargetDown", "firing", "hello")).toMatchObject({ code: 1 });
  });

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
    for (const args of [[], ["delivered", "f"], ["states", "http://x"]]) expect((await alerts(...args)).code).toBe(2);
  });
});
