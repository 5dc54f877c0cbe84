import { describe, expect, it } from "vitest";
import { Health } from "./health.ts";

describe("Health", () => {
  it("is ready with no checks and reports each check", async () => {
    const health = new Health();
    expect(await health.readiness()).toEqual({ ready: true, checks: {} });
    health.addCheck("db", () => {});
    health.addCheck("cache", async () => {
      throw new Error("connection refused");
    });
    expect(await health.readiness()).toEqual({
      ready: false,
      reason: "cache: connection refused",
      checks: { db: "ok", cache: "connection refused" },
    });
  });

  it("shares one run between concurrent probes", async () => {
    const health = new Health();
    let runs = 0;
    health.addCheck("slow", async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
    });
    await Promise.all([health.readiness(), health.readiness(), health.readiness()]);
    expect(runs).toBe(1);
  });

  it("turns unready for good once shutdown begins", async () => {
    const health = new Health();
    health.beginShutdown();
    expect(await health.readiness()).toMatchObject({ ready: false, reason: "shutting down" });
  });

  it("refuses a duplicate check name", () => {
    const health = new Health();
    health.addCheck("db", () => {});
    expect(() => health.addCheck("db", () => {})).toThrow(/already registered/);
  });
});
