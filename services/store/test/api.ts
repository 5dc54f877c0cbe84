import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, expect } from "vitest";
import { type AppUnderTest, startApp } from "./app-under-test.ts";
import { realServers, uniqueSuffix } from "./real-servers.ts";

// The API contract of seed 003, plus validation, pagination and the cache, one file per route
// beside it (src/routes/*.test.ts). The same files run on embedded storage (npm test) and against
// MariaDB, FerretDB and Redis (tier store).
export const backends = realServers ? "real servers" : "embedded";
export const sfx = uniqueSuffix();

/** Starts the service for the calling test file (before all, closed after all) and gives its clients. */
export function storeApi() {
  let app: AppUnderTest;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.kit.close();
  });
  const kit = () => app.kit;
  return {
    /** Every log line the service wrote. */
    logs: () => app.logs,
    inject: (options: InjectOptions) => kit().inject(options),
    json: (method: "POST" | "PUT", url: string, payload: unknown) =>
      kit().inject({ method, url, payload: payload as object, headers: { "content-type": "application/json" } }),
    get: (url: string) => kit().inject({ method: "GET", url }),
    del: (url: string) => kit().inject({ method: "DELETE", url }),
  };
}

let n = 0;
export function newUser(overrides: Record<string, unknown> = {}) {
  n++;
  return { username: `u${n}_${sfx}`, name: `User ${n}`, email: `u${n}.${sfx}@example.test`, password: "correct horse", ...overrides };
}

/** Follows X-Next-Cursor from the first page; asserts the Link header on every step. */
export async function walk(
  get: (url: string) => Promise<LightMyRequestResponse>,
  path: string,
  limit: number,
  pick: (body: unknown) => { id: string | number }[],
) {
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
