import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alertmanagerFor } from "./for-cluster.ts";

const source = readFileSync(new URL("alertmanager.yml", import.meta.url), "utf8");

describe("alertmanagerFor", () => {
  const out = alertmanagerFor(source, "http://alert-sink.monitoring.svc:9095/", { group_wait: "10s", group_interval: "30s" });

  it("moves every receiver to the sink, keeping each path", () => {
    expect(out).toContain("- url: http://alert-sink.monitoring.svc:9095/pager");
    expect(out).not.toContain("alerts.invalid");
    const urls = (text: string) => [...text.matchAll(/- url: (\S+)/g)].map((m) => new URL(m[1] ?? "").pathname);
    expect(urls(out)).toEqual(urls(source));
  });

  it("shortens the top route's timings only; routes, matchers and inhibitions are the source's lines, in order", () => {
    expect(out).toMatch(/^ {2}group_wait: 10s$/m);
    expect(out).toMatch(/^ {2}group_interval: 30s$/m);
    const kept = source.split("\n").filter((l) => !/url:|^ {2}group_(wait|interval):/.test(l));
    const lines = out.split("\n");
    let at = 0;
    for (const line of kept) {
      at = lines.indexOf(line, at);
      expect(at, line).toBeGreaterThanOrEqual(0);
    }
  });

  it("refuses what it cannot do (control: the same call is fine without them)", () => {
    expect(() => alertmanagerFor(source, "http://x", { group_wait: "soon" })).toThrow("not a route timing: group_wait=soon");
    expect(() => alertmanagerFor(source, "http://x", { group_by: "1s" } as never)).toThrow("not a route timing: group_by=1s");
    expect(() => alertmanagerFor("route:\n  receiver: x\n", "http://x")).toThrow("no webhook receiver URL");
    expect(() => alertmanagerFor(source, "http://x")).not.toThrow();
  });
});
