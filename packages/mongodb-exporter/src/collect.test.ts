import { describe, expect, it } from "vitest";
import { createCollector } from "./collect.ts";

const serverStatus = {
  uptime: 42,
  connections: { current: 3, available: 97, totalCreated: 10 },
  opcounters: { insert: 5, query: 7, update: 0, delete: 1, getmore: 0, command: 30 },
  mem: { resident: 120, virtual: 900 },
  metrics: { commands: { find: { total: 12, failed: 1 }, insert: { total: 4, failed: 0 } } },
};

describe("mongodb exporter collector", () => {
  it("reports up, version, connections, opcounters, memory and uptime", async () => {
    const { registry, collect } = createCollector(async (cmd) => {
      if ("buildInfo" in cmd) return { version: "7.0.14" };
      if ("serverStatus" in cmd) return serverStatus;
      return { ok: 1 };
    });
    await collect();
    const text = await registry.metrics();
    expect(text).toContain("mongodb_up 1");
    expect(text).toContain('mongodb_version_info{version="7.0.14"} 1');
    expect(text).toContain('mongodb_connections{state="current"} 3');
    expect(text).toContain('mongodb_connections{state="available"} 97');
    expect(text).toContain('mongodb_op_counters_total{type="command"} 30');
    expect(text).toContain('mongodb_memory{type="resident"} 120');
    expect(text).toContain("mongodb_instance_uptime_seconds 42");
    expect(text).toContain('mongodb_commands_total{command="find"} 12');
    expect(text).toContain('mongodb_commands_failed_total{command="find"} 1');
  });

  it("keeps counters absolute across scrapes (no double counting)", async () => {
    const { registry, collect } = createCollector(async (cmd) => ("serverStatus" in cmd ? serverStatus : { ok: 1 }));
    await collect();
    await collect();
    expect(await registry.metrics()).toContain('mongodb_op_counters_total{type="insert"} 5');
  });

  it("reports mongodb_up 0 and drops stale values when the server is gone", async () => {
    let down = false;
    const { registry, collect } = createCollector(async (cmd) => {
      if (down) throw new Error("connection refused");
      return "serverStatus" in cmd ? serverStatus : { ok: 1 };
    });
    await collect();
    down = true;
    await collect();
    const text = await registry.metrics();
    expect(text).toContain("mongodb_up 0");
    expect(text).not.toContain('mongodb_connections{state="current"}');
    expect(text).toContain("mongodb_exporter_scrape_errors_total 1");
  });

  it("leaves out what a server does not report instead of inventing it", async () => {
    const { registry, collect } = createCollector(async (cmd) => ("serverStatus" in cmd ? { uptime: 1 } : { ok: 1 }));
    await collect();
    const text = await registry.metrics();
    expect(text).toContain("mongodb_up 1");
    expect(text).not.toMatch(/^mongodb_connections\{/m);
  });
});
