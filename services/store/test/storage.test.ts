import { loadConfig } from "@flotilla/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../src/config.ts";
import { ConflictError } from "../src/storage/errors.ts";
import { MemoryKeyValueStore } from "../src/storage/kv-memory.ts";
import { closeStores, openStores, type Stores } from "../src/storage/open-stores.ts";
import { storageSettings } from "../src/storage-settings.ts";
import { databaseEnv, realServers, uniqueSuffix } from "./real-servers.ts";

// The storage contract, run against embedded backends, or the real servers with STORE_IT=1.
const settings = () => storageSettings(loadConfig(configSchema, { DB_TIMEOUT_MS: "2000", ...databaseEnv() }));

describe(`storage contract (${realServers ? "real servers" : "embedded"})`, () => {
  let stores: Stores;
  const sfx = uniqueSuffix();

  beforeAll(async () => {
    stores = openStores(settings());
    await stores.users.migrate();
    await stores.posts.migrate();
  });
  afterAll(async () => {
    await closeStores(stores);
  });

  it("uses the backends the environment asks for", () => {
    const expected = realServers ? ["mysql", "mongodb", "redis"] : ["sqlite", "sqlite", "memory"];
    expect([stores.users.backend, stores.posts.backend, stores.kv.backend]).toEqual(expected);
  });

  it("migrations are idempotent: a second run applies nothing", async () => {
    expect(await stores.users.migrate()).toBe(0);
    expect(await stores.posts.migrate()).toBe(0);
  });

  it("users: create, get, list by keyset, delete", async () => {
    const a = await stores.users.create({ username: `a${sfx}`, name: "A", email: `a${sfx}@x.test`, passwordHash: "h" });
    const b = await stores.users.create({ username: `b${sfx}`, name: "B", email: `b${sfx}@x.test`, passwordHash: "h" });
    expect(b.id).toBeGreaterThan(a.id);
    expect(await stores.users.get(a.id)).toEqual({ id: a.id, username: `a${sfx}`, name: "A", email: `a${sfx}@x.test` });
    const page = await stores.users.list(1, a.id - 1);
    expect(page).toEqual([a]);
    expect((await stores.users.list(10, a.id)).map((u) => u.id)).toContain(b.id);
    expect(await stores.users.delete(a.id)).toBe(true);
    expect(await stores.users.delete(a.id)).toBe(false);
    expect(await stores.users.get(a.id)).toBeNull();
  });

  it("users: duplicate username or email (any case) is a ConflictError naming the field", async () => {
    await stores.users.create({ username: `d${sfx}`, name: "D", email: `d${sfx}@x.test`, passwordHash: "h" });
    const dupName = stores.users.create({
      username: `D${sfx}`.toUpperCase(),
      name: "D",
      email: `other${sfx}@x.test`,
      passwordHash: "h",
    });
    await expect(dupName).rejects.toBeInstanceOf(ConflictError);
    await expect(dupName).rejects.toMatchObject({ field: "username" });
    const dupEmail = stores.users.create({
      username: `e${sfx}`,
      name: "E",
      email: `D${sfx}@X.TEST`,
      passwordHash: "h",
    });
    await expect(dupEmail).rejects.toMatchObject({ field: "email" });
  });

  it("posts: ObjectId-shaped ids, ascending keyset pages, delete", async () => {
    const p1 = await stores.posts.create({ title: "t1", content: "c1" });
    const p2 = await stores.posts.create({ title: "t2", content: "c2" });
    expect(p1.id).toMatch(/^[0-9a-f]{24}$/);
    expect(await stores.posts.get(p1.id)).toEqual(p1);
    expect(await stores.posts.get(p1.id.toUpperCase())).toEqual(p1);
    const after = await stores.posts.list(100, p1.id);
    expect(after[0]).toEqual(p2);
    expect(await stores.posts.delete(p2.id)).toBe(true);
    expect(await stores.posts.delete(p2.id)).toBe(false);
    expect(await stores.posts.get(p2.id)).toBeNull();
  });

  it("key/value: set with TTL, get, overwrite, delete", async () => {
    const key = `test:${sfx}`;
    await stores.kv.set(key, "v1", 60);
    expect(await stores.kv.get(key)).toBe("v1");
    await stores.kv.set(key, "v2", 60);
    expect(await stores.kv.get(key)).toBe("v2");
    expect(await stores.kv.del(key)).toBe(true);
    expect(await stores.kv.get(key)).toBeNull();
    expect(await stores.kv.del(key)).toBe(false);
  });

  it("key/value: a key expires after its TTL", async () => {
    const key = `ttl:${sfx}`;
    await stores.kv.set(key, "v", 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await stores.kv.get(key)).toBeNull();
  });
});

describe("embedded TTL map", () => {
  it("expires by clock and evicts the oldest write when full", async () => {
    let now = 0;
    const kv = new MemoryKeyValueStore({ maxEntries: 2, now: () => now });
    await kv.set("a", "1", 10);
    await kv.set("b", "2", 10);
    await kv.set("a", "1b", 10); // rewrite makes "b" the oldest
    await kv.set("c", "3", 10);
    expect(await kv.get("b")).toBeNull();
    expect(await kv.get("a")).toBe("1b");
    expect(kv.size).toBe(2);
    now = 10_000;
    expect(await kv.get("a")).toBeNull();
    expect(await kv.del("c")).toBe(false);
    await kv.close();
  });
});
