import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { commonEnv, loadConfig } from "./config.ts";
import { MISNAMED_DEFAULT_GAUGES } from "./default-metric-names.ts";
import { createService, type Service } from "./kit.ts";

let app: Service | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function scrape(service: Service): Promise<string> {
  return (await service.inject("/metrics")).body;
}

describe("the kit's own metrics", () => {
  it("reports each readiness check as 1 (passing) or 0 (failing), run at scrape time", async () => {
    app = await createService({
      name: "test",
      version: "1",
      config: loadConfig(z.object(commonEnv({ port: 0 })), { LOG_LEVEL: "silent" }),
    });
    let dbUp = true;
    app.health.addCheck("db", () => {
      if (!dbUp) throw new Error("connection refused");
    });
    app.health.addCheck("cache", () => {});
    expect(await scrape(app)).toContain('readiness_check_passing{check="db",service="test"} 1');
    dbUp = false;
    const text = await scrape(app);
    expect(text).toContain('readiness_check_passing{check="db",service="test"} 0');
    expect(text).toContain('readiness_check_passing{check="cache",service="test"} 1');
  });

  it("has no gauge with a counter's _total suffix (promtool check metrics)", async () => {
    app = await createService({
      name: "test",
      version: "1",
      config: loadConfig(z.object(commonEnv({ port: 0 })), { LOG_LEVEL: "silent" }),
    });
    const text = await scrape(app);
    const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((m) => m[1]);
    expect(gauges).toContain("nodejs_active_handles"); // the labelled gauges stay: their sum is the total
    expect(gauges.filter((name) => name?.endsWith("_total"))).toEqual([]);
    for (const name of MISNAMED_DEFAULT_GAUGES) expect(text).not.toContain(name);
  });
});
