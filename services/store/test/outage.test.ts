import type { Service } from "@flotilla/service-kit";
import { loadConfig } from "@flotilla/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../src/config.ts";
import { UnavailableError } from "../src/storage/errors.ts";
import { openStores, type Stores } from "../src/storage/open-stores.ts";
import { storageSettings } from "../src/storage-settings.ts";
import { startApp } from "./app-under-test.ts";
import { databaseEnv, realServers } from "./real-servers.ts";

/**
 * Wraps a store so a test can take its database "down": every call then fails the way a real
 * outage does (UnavailableError). Tier store repeats this for real by stopping the servers.
 */
function switchable<T extends object>(store: T, dependency: string): { store: T; down: (yes: boolean) => void } {
  let isDown = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || prop === "close") return value;
      return (...args: unknown[]) =>
        isDown ? Promise.reject(new UnavailableError(dependency, new Error("simulated outage"))) : value.apply(target, args);
    },
  });
  return { store: proxy, down: (yes) => (isDown = yes) };
}

function switchableStores() {
  const real = openStores(storageSettings(loadConfig(configSchema, { DB_TIMEOUT_MS: "1000", ...databaseEnv() })));
  const users = switchable(real.users, "users");
  const posts = switchable(real.posts, "posts");
  const kv = switchable(real.kv, "sessions");
  const stores: Stores = { users: users.store, posts: posts.store, kv: kv.store };
  return { stores, users, posts, kv };
}

const json = (kit: Service, method: "POST" | "GET", url: string, payload?: object) =>
  kit.inject({ method, url, ...(payload ? { payload, headers: { "content-type": "application/json" } } : {}) });

describe(`one database down (${realServers ? "real servers" : "embedded"}, simulated outage)`, () => {
  let kit: Service;
  let sw: ReturnType<typeof switchableStores>;

  beforeAll(async () => {
    sw = switchableStores();
    kit = (await startApp({}, sw.stores)).kit;
  });
  afterAll(async () => {
    await kit.close();
  });

  it("users down: 503 on /users only, not ready (naming users), then recovers by itself", async () => {
    const id = (
      await json(kit, "POST", "/users", { username: `o${Date.now()}`, name: "O", email: `o${Date.now()}@x.test`, password: "password1" })
    ).json().id;
    sw.users.down(true);
    for (const url of ["/users", `/users/${id + 1000000}`]) {
      const res = await json(kit, "GET", url);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: "users database unavailable" });
    }
    expect((await json(kit, "POST", "/users", { username: "zz1", name: "z", email: "zz1@x.test", password: "password1" })).statusCode).toBe(
      503,
    );
    expect((await json(kit, "GET", "/posts")).statusCode).toBe(200);
    expect((await json(kit, "POST", "/session", { session_id: "outage", data: "x", ttl: 60 })).statusCode).toBe(201);
    expect((await json(kit, "GET", "/greeting/")).statusCode).toBe(200);
    const ready = await json(kit, "GET", "/readyz");
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toEqual({ users: "users database unavailable", posts: "ok", sessions: "ok" });
    sw.users.down(false);
    expect((await json(kit, "GET", "/users")).statusCode).toBe(200);
    expect((await json(kit, "GET", "/readyz")).statusCode).toBe(200);
  });

  it("posts down: 503 on /posts only", async () => {
    sw.posts.down(true);
    const res = await json(kit, "GET", "/posts");
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: "posts database unavailable" });
    expect((await json(kit, "POST", "/posts", { title: "t", content: "c" })).statusCode).toBe(503);
    expect((await json(kit, "GET", "/users")).statusCode).toBe(200);
    sw.posts.down(false);
    expect((await json(kit, "GET", "/posts")).statusCode).toBe(200);
  });

  it("redis down: 503 on /session; GET /users/:id still served from the database, counted as a cache error", async () => {
    const id = (
      await json(kit, "POST", "/users", { username: `r${Date.now()}`, name: "R", email: `r${Date.now()}@x.test`, password: "password1" })
    ).json().id;
    sw.kv.down(true);
    const session = await json(kit, "GET", "/session/whatever");
    expect(session.statusCode).toBe(503);
    expect(session.json()).toEqual({ error: "sessions database unavailable" });
    const user = await json(kit, "GET", `/users/${id}`);
    expect(user.statusCode).toBe(200);
    expect(user.headers["x-cache"]).toBe("miss");
    expect((await json(kit, "GET", "/metrics")).body).toMatch(/store_user_cache_requests_total\{result="error",service="store"\} [1-9]/);
    expect((await json(kit, "GET", "/readyz")).json().checks.sessions).toBe("sessions database unavailable");
    sw.kv.down(false);
    expect((await json(kit, "GET", "/session/whatever")).statusCode).toBe(404);
  });
});

describe("a database unreachable at start", () => {
  it("starts anyway, answers 503 until migrations succeed on retry, then serves", async () => {
    const sw = switchableStores();
    sw.users.down(true);
    const { kit } = await startApp({ MIGRATION_RETRY_MS: "100" }, sw.stores);
    try {
      expect((await json(kit, "GET", "/healthz")).statusCode).toBe(200);
      expect((await json(kit, "GET", "/users")).statusCode).toBe(503);
      expect((await json(kit, "GET", "/posts")).statusCode).toBe(200);
      sw.users.down(false);
      // Migrations are retried every 100 ms; /users stays 503 until they ran.
      const deadline = Date.now() + 5000;
      while ((await json(kit, "GET", "/users")).statusCode !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await json(kit, "GET", "/users")).statusCode).toBe(200);
      expect((await json(kit, "GET", "/readyz")).statusCode).toBe(200);
    } finally {
      await kit.close();
    }
  });
});
