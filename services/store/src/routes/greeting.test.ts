import { describe, expect, it } from "vitest";
import { backends, storeApi } from "../../test/api.ts";

const { get } = storeApi();

describe(`/greeting and readiness (${backends})`, () => {
  it("GET /greeting/ answers the seed's greeting, with or without the slash", async () => {
    for (const url of ["/greeting/", "/greeting"]) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ Greeting: "Hi Koronet Team" });
    }
  });

  it("readiness lists each database", async () => {
    const res = await get("/readyz");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ready", checks: { users: "ok", posts: "ok", sessions: "ok" } });
  });
});
