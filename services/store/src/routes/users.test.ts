import { describe, expect, it } from "vitest";
import { backends, newUser, sfx, storeApi, walk } from "../../test/api.ts";

const { inject, json, get, del, logs } = storeApi();

describe(`/users (${backends})`, () => {
  it("creates a user (201, seed body plus id) and reads it back without any password field", async () => {
    const body = newUser();
    const created = await json("POST", "/users", body);
    expect(created.statusCode).toBe(201);
    const { id, ...rest } = created.json();
    expect(rest).toEqual({ message: "User created successfully", user: body.username });
    expect(id).toBeGreaterThan(0);
    const res = await get(`/users/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, username: body.username, name: body.name, email: body.email });
    expect(res.body).not.toMatch(/password|\$2[aby]\$/);
  });

  it("never logs the password or its hash", async () => {
    const body = newUser({ password: `pw-${sfx}-secret` });
    expect((await json("POST", "/users", body)).statusCode).toBe(201);
    const all = logs().join("\n");
    expect(all).not.toContain(body.password);
    expect(all).not.toMatch(/\$2[aby]\$\d\d\$/);
  });

  it("answers 409 for a duplicate username or email, case-insensitively", async () => {
    const body = newUser();
    expect((await json("POST", "/users", body)).statusCode).toBe(201);
    const dupName = await json("POST", "/users", newUser({ username: body.username.toUpperCase() }));
    expect(dupName.statusCode).toBe(409);
    expect(dupName.json()).toEqual({ error: "username already exists" });
    const dupEmail = await json("POST", "/users", newUser({ email: body.email.toUpperCase() }));
    expect(dupEmail.statusCode).toBe(409);
    expect(dupEmail.json()).toEqual({ error: "email already exists" });
  });

  it.each([
    ["a missing field", { username: "x", name: "x", email: "x@example.test" }, /password/],
    ["a username over 50 characters", newUser({ username: "u".repeat(51) }), /username/],
    ["a username with spaces", newUser({ username: "two words" }), /username/],
    ["a name over 100 characters", newUser({ name: "n".repeat(101) }), /name/],
    ["a malformed email", newUser({ email: "not-an-email" }), /email/],
    // format: email is RFC 5321's: a domain label neither starts nor ends with a hyphen.
    ["an email whose domain label ends in a hyphen", newUser({ email: "a@b-.example" }), /email/],
    ["an email whose domain label starts with a hyphen", newUser({ email: "a@-b.example" }), /email/],
    ["an email whose local part is over 64 characters", newUser({ email: `${"l".repeat(65)}@b.example` }), /email/],
    ["an email over 100 characters", newUser({ email: `${"e".repeat(95)}@x.test` }), /email/],
    ["a password under 8 characters", newUser({ password: "short" }), /password/],
    ["a password over 72 bytes", newUser({ password: "é".repeat(40) }), /password/],
  ])("rejects %s with 400", async (_what, body, field) => {
    const res = await json("POST", "/users", body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(field);
  });

  it("accepts an email whose domain label has a hyphen inside (the control of the two above)", async () => {
    const res = await json("POST", "/users", newUser({ email: `h.${sfx}@b-c.example` }));
    expect(res.statusCode).toBe(201);
  });

  it("rejects a body that is not JSON, and too large a body", async () => {
    const bad = await inject({
      method: "POST",
      url: "/users",
      payload: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(bad.statusCode).toBe(400);
    const big = await json("POST", "/users", newUser({ name: "n".repeat(2 * 1024 * 1024) }));
    expect(big.statusCode).toBe(413);
  });

  it("answers 400 for a malformed id and 404 for an unknown one", async () => {
    for (const id of ["abc", "0", "-1", "1.5", "99999999999999999999"]) {
      const res = await get(`/users/${id}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: "Invalid user ID" });
    }
    const res = await get("/users/9007199254740991");
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: "User not found" });
  });

  it("serves GET /users/:id cache-aside (miss, then hit) and counts both", async () => {
    const id = (await json("POST", "/users", newUser())).json().id as number;
    const first = await get(`/users/${id}`);
    const second = await get(`/users/${id}`);
    expect(first.headers["x-cache"]).toBe("miss");
    expect(second.headers["x-cache"]).toBe("hit");
    expect(second.json()).toEqual(first.json());
    const metrics = (await get("/metrics")).body;
    expect(metrics).toMatch(/store_user_cache_requests_total\{result="hit",service="store"\} [1-9]/);
    expect(metrics).toMatch(/store_user_cache_requests_total\{result="miss",service="store"\} [1-9]/);
  });

  it("deletes a user and invalidates the cache", async () => {
    const id = (await json("POST", "/users", newUser())).json().id as number;
    expect((await get(`/users/${id}`)).statusCode).toBe(200);
    expect((await get(`/users/${id}`)).headers["x-cache"]).toBe("hit");
    const res = await del(`/users/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: "User deleted successfully" });
    const after = await get(`/users/${id}`);
    expect(after.statusCode).toBe(404);
    expect(after.json()).toEqual({ error: "User not found" });
    expect((await del(`/users/${id}`)).statusCode).toBe(404);
  });

  it("lists users as the seed's array; pages by limit/cursor with X-Next-Cursor and Link", async () => {
    const created: number[] = [];
    for (let i = 0; i < 5; i++) created.push((await json("POST", "/users", newUser())).json().id);
    const list = await get("/users");
    expect(list.statusCode).toBe(200);
    expect(Array.isArray(list.json())).toBe(true);
    const ids = (await walk(get, "/users", 2, (b) => b as { id: number }[])) as number[];
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of created) expect(ids).toContain(id);
  });

  it.each(["limit=0", "limit=abc", "limit=100000", "cursor=abc", "cursor=-1"])("rejects ?%s with 400", async (q) => {
    expect((await get(`/users?${q}`)).statusCode).toBe(400);
  });
});
