import { describe, expect, it } from "vitest";
import { backends, sfx, storeApi } from "../../test/api.ts";

const { json, get, del } = storeApi();

describe(`/session (${backends})`, () => {
  const sid = `s-${sfx}`;

  it("POST creates (201), GET reads, PUT replaces, DELETE removes", async () => {
    const created = await json("POST", "/session", { session_id: sid, data: "v1", ttl: 60 });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ message: "Session created successfully", session_id: sid });
    expect((await get(`/session/${sid}`)).json()).toEqual({ session_id: sid, data: "v1" });
    const updated = await json("PUT", "/session", { session_id: sid, data: "v2", ttl: 60 });
    expect(updated.statusCode).toBe(200);
    expect((await get(`/session/${sid}`)).json()).toEqual({ session_id: sid, data: "v2" });
    const gone = await del(`/session/${sid}`);
    expect(gone.statusCode).toBe(200);
    expect(gone.json()).toEqual({ message: "Session deleted successfully" });
    const missing = await get(`/session/${sid}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "Session not found" });
    expect((await del(`/session/${sid}`)).statusCode).toBe(404);
  });

  it("uses the default TTL when none is given", async () => {
    expect((await json("POST", "/session", { session_id: `${sid}-d`, data: "x" })).statusCode).toBe(201);
    expect((await get(`/session/${sid}-d`)).statusCode).toBe(200);
  });

  it("expires a session after its TTL", async () => {
    await json("POST", "/session", { session_id: `${sid}-ttl`, data: "x", ttl: 1 });
    expect((await get(`/session/${sid}-ttl`)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await get(`/session/${sid}-ttl`)).statusCode).toBe(404);
  });

  it.each([
    ["a zero TTL", { session_id: "a", data: "x", ttl: 0 }],
    ["a negative TTL", { session_id: "a", data: "x", ttl: -5 }],
    ["a fractional TTL", { session_id: "a", data: "x", ttl: 1.5 }],
    ["a TTL over the maximum", { session_id: "a", data: "x", ttl: 604_801 }],
    ["a missing session_id", { data: "x", ttl: 5 }],
    ["a session_id with a space", { session_id: "a b", data: "x", ttl: 5 }],
    ["an object as data", { session_id: "a", data: { nested: true }, ttl: 5 }],
  ])("rejects %s with 400", async (_what, body) => {
    const res = await json("POST", "/session", body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^invalid request: /);
  });

  it("answers 400 for a malformed session id in the path", async () => {
    for (const id of ["a%20b", "a%2Fb", "semi;colon"]) {
      const res = await get(`/session/${id}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: "Invalid session ID" });
    }
  });
});
