import type { Kit } from "@flotilla/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppUnderTest, startApp } from "./app-under-test.ts";
import { realServers, uniqueSuffix } from "./real-servers.ts";

// The API contract of seed 003, plus validation, pagination and the cache. The same file runs
// on embedded storage (npm test) and against MariaDB, FerretDB and Redis (ci/tier-store.sh).
let app: AppUnderTest;
let kit: Kit;
const sfx = uniqueSuffix();

beforeAll(async () => {
  app = await startApp();
  kit = app.kit;
});
afterAll(async () => {
  await kit.close();
});

const json = (method: "POST" | "PUT", url: string, payload: unknown) =>
  kit.app.inject({ method, url, payload: payload as object, headers: { "content-type": "application/json" } });
const get = (url: string) => kit.app.inject({ method: "GET", url });
const del = (url: string) => kit.app.inject({ method: "DELETE", url });

let n = 0;
function newUser(overrides: Record<string, unknown> = {}) {
  n++;
  return { username: `u${n}_${sfx}`, name: `User ${n}`, email: `u${n}.${sfx}@example.test`, password: "correct horse", ...overrides };
}

/** Follows X-Next-Cursor from the first page; asserts the Link header on every step. */
async function walk(path: string, limit: number, pick: (body: unknown) => { id: string | number }[]) {
  const ids: (string | number)[] = [];
  let url = `${path}?limit=${limit}`;
  for (let pages = 0; pages < 10_000; pages++) {
    const res = await get(url);
    expect(res.statusCode).toBe(200);
    const items = pick(res.json());
    expect(items.length).toBeLessThanOrEqual(limit);
    ids.push(...items.map((i) => i.id));
    const next = res.headers["x-next-cursor"];
    if (next === undefined) {
      expect(res.headers.link).toBeUndefined();
      return ids;
    }
    expect(res.headers.link).toBe(`<${path}?limit=${limit}&cursor=${next}>; rel="next"`);
    url = `${path}?limit=${limit}&cursor=${next}`;
  }
  throw new Error("pagination did not end");
}

describe(`store API (${realServers ? "real servers" : "embedded"})`, () => {
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

  describe("/users", () => {
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
      const all = app.logs.join("\n");
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
      ["an email over 100 characters", newUser({ email: `${"e".repeat(95)}@x.test` }), /email/],
      ["a password under 8 characters", newUser({ password: "short" }), /password/],
      ["a password over 72 bytes", newUser({ password: "é".repeat(40) }), /password/],
    ])("rejects %s with 400", async (_what, body, field) => {
      const res = await json("POST", "/users", body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatch(field);
    });

    it("rejects a body that is not JSON, and too large a body", async () => {
      const bad = await kit.app.inject({
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
      const ids = (await walk("/users", 2, (b) => b as { id: number }[])) as number[];
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of created) expect(ids).toContain(id);
    });

    it.each(["limit=0", "limit=abc", "limit=100000", "cursor=abc", "cursor=-1"])("rejects ?%s with 400", async (q) => {
      expect((await get(`/users?${q}`)).statusCode).toBe(400);
    });
  });

  describe("/posts", () => {
    it("creates (201 with an ObjectId), reads {post}, lists {posts}, deletes", async () => {
      const created = await json("POST", "/posts", { title: `Title ${sfx}`, content: "Body" });
      expect(created.statusCode).toBe(201);
      const { message, post_id } = created.json();
      expect(message).toBe("Post created successfully");
      expect(post_id).toMatch(/^[0-9a-f]{24}$/);
      const one = await get(`/posts/${post_id}`);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toEqual({ post: { id: post_id, title: `Title ${sfx}`, content: "Body" } });
      const all = await get("/posts");
      expect(all.statusCode).toBe(200);
      expect(Object.keys(all.json())).toEqual(["posts"]);
      const gone = await del(`/posts/${post_id}`);
      expect(gone.statusCode).toBe(200);
      expect(gone.json()).toEqual({ message: "Post deleted successfully" });
      expect((await get(`/posts/${post_id}`)).json()).toEqual({ error: "Post not found" });
      expect((await del(`/posts/${post_id}`)).statusCode).toBe(404);
    });

    it("answers 400 Invalid post ID for a malformed id, 404 for an unknown one", async () => {
      for (const id of ["123", "zzzzzzzzzzzzzzzzzzzzzzzz", "0123456789abcdef0123456789"]) {
        const res = await get(`/posts/${id}`);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: "Invalid post ID" });
        expect((await del(`/posts/${id}`)).statusCode).toBe(400);
      }
      expect((await get("/posts/000000000000000000000000")).statusCode).toBe(404);
    });

    it.each([
      ["an empty title", { title: "", content: "c" }],
      ["a blank title", { title: "   ", content: "c" }],
      ["a missing content", { title: "t" }],
      ["a title over 200 characters", { title: "t".repeat(201), content: "c" }],
    ])("rejects %s with 400", async (_what, body) => {
      const res = await json("POST", "/posts", body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatch(/^invalid request: /);
    });

    it("pages posts by limit/cursor in creation order", async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await json("POST", "/posts", { title: `p${i}`, content: "c" })).json().post_id);
      const ids = (await walk("/posts", 2, (b) => (b as { posts: { id: string }[] }).posts)) as string[];
      expect(ids).toEqual([...ids].sort());
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => created.includes(id))).toEqual(created);
      expect((await get("/posts?cursor=nothex")).statusCode).toBe(400);
    });
  });

  describe("/session", () => {
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
});
