import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("metrics.py", import.meta.url).pathname;
const tmp = scratch("platform-metrics-test");
const json = (name: string, content: object) => tmp.write(name, JSON.stringify(content));
const metrics = (...args: string[]) => python3([script, ...args]);

const target = (service: string, health: string, job = "flotilla") => ({
  labels: { job, service },
  scrapeUrl: `http://10.244.0.9:8080/metrics?${service}`,
  health,
  lastError: health === "up" ? "" : "connection refused",
});

describe("ci/platform/metrics.py", () => {
  it("targets: every target of the job up, at least MIN of them", async () => {
    const up = json("up.json", { data: { activeTargets: [target("hello", "up"), target("stats", "up"), target("x", "down", "other")] } });
    expect(await metrics("targets", up, "flotilla", "2")).toMatchObject({ code: 0, stdout: "2/2 targets of job flotilla up\n" });
    expect((await metrics("targets", up, "flotilla", "3")).code).toBe(1);
    const down = json("down.json", { data: { activeTargets: [target("hello", "down"), target("stats", "up")] } });
    const r = await metrics("targets", down, "flotilla", "1");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("hello: down connection refused");
    expect((await metrics("targets", json("none.json", { data: { activeTargets: [] } }), "flotilla", "1")).code).toBe(1);
  });

  it("rules: every named rule loaded and healthy", async () => {
    const rules = json("rules.json", {
      data: {
        groups: [
          {
            rules: [
              { name: "FlotillaTargetDown", health: "ok" },
              { name: "service:http_requests:rate5m", health: "ok" },
            ],
          },
          { rules: [{ name: "Broken", health: "err" }] },
        ],
      },
    });
    expect(await metrics("rules", rules, "FlotillaTargetDown", "service:http_requests:rate5m")).toMatchObject({
      code: 0,
      stdout: "2 groups, 3 rules\n",
    });
    expect((await metrics("rules", rules, "FlotillaTargetDown", "Missing")).code).toBe(1);
    expect((await metrics("rules", rules, "Broken")).code).toBe(1);
  });

  it("query: at least MIN series; rule-for: the alert's `for` as loaded", async () => {
    const q = json("q.json", { data: { resultType: "vector", result: [{ metric: {}, value: [0, "1"] }] } });
    expect(await metrics("query", q, "1")).toMatchObject({ code: 0, stdout: "1 series\n" });
    expect((await metrics("query", q, "2")).code).toBe(1);
    const rules = json("r.json", {
      data: {
        groups: [
          {
            rules: [
              { type: "alerting", name: "FlotillaTargetDown", duration: 30 },
              { type: "recording", name: "x" },
            ],
          },
        ],
      },
    });
    expect(await metrics("rule-for", rules, "FlotillaTargetDown", "30")).toMatchObject({
      code: 0,
      stdout: "FlotillaTargetDown: for 30 s\n",
    });
    expect((await metrics("rule-for", rules, "FlotillaTargetDown", "120")).code).toBe(1);
    expect((await metrics("rule-for", rules, "x", "0")).code).toBe(1);
  });

  it("alert: a named alert in a state with labels", async () => {
    const alerts = json("alerts.json", {
      data: { alerts: [{ labels: { alertname: "FlotillaTargetDown", service: "hello" }, state: "pending" }] },
    });
    expect((await metrics("alert", alerts, "FlotillaTargetDown", "pending", "service=hello")).code).toBe(0);
    expect((await metrics("alert", alerts, "FlotillaTargetDown", "firing", "service=hello")).code).toBe(1);
    expect((await metrics("alert", alerts, "FlotillaTargetDown", "pending", "service=stats")).code).toBe(1);
  });

  it("sink: a notification of the alert with that status and labels; none before anything arrived", async () => {
    const note = (status: string, service: string) =>
      JSON.stringify({ path: "/pager", body: { status, alerts: [{ status, labels: { alertname: "FlotillaTargetDown", service } }] } });
    const file = tmp.write("sink.jsonl", `${note("firing", "hello")}\n${note("resolved", "hello")}\n`);
    expect(await metrics("sink", file, "FlotillaTargetDown", "firing", "service=hello")).toMatchObject({
      code: 0,
      stdout: "FlotillaTargetDown firing: 1 notification(s) /pager\n",
    });
    expect((await metrics("sink", file, "FlotillaTargetDown", "resolved", "service=hello")).code).toBe(0);
    expect((await metrics("sink", file, "FlotillaTargetDown", "firing", "service=stats")).code).toBe(1);
    expect((await metrics("sink", tmp.path("absent.jsonl"), "FlotillaTargetDown", "firing")).code).toBe(1);
  });

  it("bad arguments or input: exit 2", async () => {
    expect((await metrics()).code).toBe(2);
    expect((await metrics("targets", "x")).code).toBe(2);
    expect((await metrics("targets", tmp.path("missing.json"), "flotilla", "1")).code).toBe(2);
    expect((await metrics("alert", json("a.json", { data: { alerts: [] } }), "X", "firing", "nolabel")).code).toBe(2);
  });

  it("fleet-targets: one per endpoint of each Running pod the fleet's PodMonitors select (not exporters', not controls)", async () => {
    const monitor = (name: string, app: string, job: string, endpoints = 1) => ({
      metadata: { name },
      spec: {
        selector: { matchLabels: { "app.kubernetes.io/name": app } },
        podMetricsEndpoints: Array.from({ length: endpoints }, () => ({ relabelings: [{ targetLabel: "job", replacement: job }] })),
      },
    });
    const pod = (app: string, phase: string) => ({ metadata: { labels: { "app.kubernetes.io/name": app } }, status: { phase } });
    json("pm.json", {
      items: [
        monitor("flotilla-hello", "hello", "flotilla"),
        monitor("flotilla-routeguide", "routeguide", "flotilla", 2),
        monitor("flotilla-mysql-exporter", "mysql-exporter", "mysql"),
        monitor("control-missing", "hello", "flotilla"),
      ],
    });
    json("pods.json", {
      items: [
        pod("hello", "Running"),
        pod("hello", "Running"),
        pod("hello", "Pending"),
        pod("routeguide", "Running"),
        pod("mysql-exporter", "Running"),
      ],
    });
    const r = await metrics("fleet-targets", tmp.path("pm.json"), tmp.path("pods.json"));
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout.trim()).toBe("4"); // hello 2 x 1, routeguide 1 x 2
  });
  it("lint-targets: one up target per job, service and port, with its pod", async () => {
    const t = (job: string, service: string, pod: string, port: number, health = "up") => ({
      labels: { job, service, pod },
      scrapeUrl: `http://10.244.0.9:${port}/metrics`,
      health,
    });
    const file = json("lint.json", {
      data: {
        activeTargets: [
          t("flotilla", "hello", "hello-a", 8080),
          t("flotilla", "hello", "hello-b", 8080),
          t("flotilla", "routeguide", "rg-a", 8080),
          t("flotilla", "routeguide", "rg-a", 8081),
          t("flotilla", "stats", "stats-a", 8080, "down"),
          t("mongodb", "", "mongo-exp", 9216),
          t("mysql", "", "mysql-exp", 9104),
        ],
      },
    });
    const r = await metrics("lint-targets", file, "flotilla", "mongodb");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      "hello-a 8080 flotilla/hello:8080",
      "rg-a 8080 flotilla/routeguide:8080",
      "rg-a 8081 flotilla/routeguide:8081",
      "mongo-exp 9216 mongodb/mongodb:9216",
    ]);
    // control: no up target of the job
    expect((await metrics("lint-targets", file, "redis")).code).toBe(1);
  });
});
