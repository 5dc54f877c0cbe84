import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { commonEnv, loadConfig } from "./config.ts";
import { createService, type Service } from "./kit.ts";
import { RETRY_AFTER_SECONDS } from "./load-shedding.ts";

/** A service whose log lines are collected as parsed JSON, with a few routes to exercise the kit. */
async function kitWithLogs(env: Record<string, string> = {}): Promise<{ kit: { app: Service }; logs: Array<Record<string, unknown>> }> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const app = await createService({
    name: "test",
    version: "1.2.3",
    config: loadConfig(z.object(commonEnv({ port: 0 })), { BODY_LIMIT_BYTES: "64", LOG_LEVEL: "info", ...env }),
    logDestination: destination as never,
  });
  app.get("/items/:id", { schema: { params: z.object({ id: z.string() }) } }, async (request) => ({ id: request.params.id }));
  app.post("/items", { schema: { body: z.object({ name: z.string() }) } }, async (request) => request.body);
  app.get("/boom", async () => {
    throw new Error("secret internal detail");
  });
  app.post("/login", async (request) => {
    request.log.info({ body: request.body }, "login attempt");
    return { ok: true };
  });
  return { kit: { app }, logs };
}

let current: { app: Service } | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

describe("kit HTTP server", () => {
  it("answers JSON errors for 404, 405, 400, 413 and 415", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    const notFound = await kit.app.inject({ method: "GET", url: "/nope" });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({ error: "no route for GET /nope" });

    const wrongMethod = await kit.app.inject({ method: "DELETE", url: "/items/7" });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe("GET, HEAD");
    expect(wrongMethod.json().error).toMatch(/method DELETE not allowed/);

    const invalid = await kit.app.inject({ method: "POST", url: "/items", payload: { other: 1 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatch(/invalid request: body must have required property 'name'/);

    const badJson = await kit.app.inject({ method: "POST", url: "/items", payload: "{", headers: { "content-type": "application/json" } });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toEqual({ error: "request body is not valid JSON" });

    // valid JSON with a __proto__ key: accepted, the key dropped, no prototype polluted
    const proto = await kit.app.inject({
      method: "POST",
      url: "/items",
      payload: '{"name":"n","__proto__":{"polluted":1}}',
      headers: { "content-type": "application/json" },
    });
    expect(proto.statusCode).toBe(200);
    expect(proto.json()).toEqual({ name: "n" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const tooLarge = await kit.app.inject({ method: "POST", url: "/items", payload: { name: "x".repeat(100) } });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({ error: "request body too large" });

    const wrongType = await kit.app.inject({
      method: "POST",
      url: "/items",
      payload: "<x/>",
      headers: { "content-type": "application/xml" },
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error).toMatch(/unsupported content type/);
  });

  it("answers an unknown method with 405 and Allow before it looks at the body", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    // QUERY carries a body: Fastify used to parse it first and answer 400 (no Content-Type).
    const query = await kit.app.inject({ method: "QUERY" as never, url: "/items" });
    expect(query.statusCode).toBe(405);
    expect(query.headers.allow).toBe("POST");
    const put = await kit.app.inject({ method: "PUT", url: "/items/7", payload: "<x/>", headers: { "content-type": "application/xml" } });
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toBe("GET, HEAD");
    const unknownPath = await kit.app.inject({ method: "QUERY" as never, url: "/nope" });
    expect(unknownPath.statusCode).toBe(404);
  });

  it("never sends a stack trace or internal message on a 500, but logs it", async () => {
    const { kit, logs } = await kitWithLogs();
    current = kit;
    const res = await kit.app.inject({ method: "GET", url: "/boom" });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: "internal server error" });
    expect(res.body).not.toContain("secret internal detail");
    await kit.app.inject({ method: "GET", url: "/healthz" }); // flush ordering
    const failure = logs.find((l) => l.msg === "request failed");
    expect((failure?.err as { stack?: string } | undefined)?.stack).toContain("secret internal detail");
  });

  it("sets security headers and echoes or generates a request id", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    const given = await kit.app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "abc-123" } });
    expect(given.headers["x-request-id"]).toBe("abc-123");
    expect(given.headers["x-content-type-options"]).toBe("nosniff");
    expect(given.headers["content-security-policy"]).toContain("default-src 'none'");
    const unsafe = await kit.app.inject({ method: "GET", url: "/healthz", headers: { "x-request-id": "bad id\twith spaces" } });
    expect(unsafe.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs one line per request with method, route pattern, status, duration and request id", async () => {
    const { kit, logs } = await kitWithLogs();
    current = kit;
    await kit.app.inject({ method: "GET", url: "/items/42?q=1", headers: { "x-request-id": "req-1" } });
    const line = logs.find((l) => l.msg === "request" && l.reqId === "req-1");
    expect(line).toMatchObject({ level: "info", service: "test", method: "GET", route: "/items/:id", path: "/items/42", status: 200 });
    expect(typeof line?.durationMs).toBe("number");
  });

  it("keeps the access line to exactly these fields (dashboards and log queries rely on them)", async () => {
    const { kit, logs } = await kitWithLogs();
    current = kit;
    await kit.app.inject({ method: "GET", url: "/nope?x=1", headers: { "x-request-id": "req-2" } });
    const line = logs.find((l) => l.msg === "request" && l.reqId === "req-2");
    expect(Object.keys(line ?? {}).sort()).toEqual([
      "durationMs",
      "level",
      "method",
      "msg",
      "path",
      "reqId",
      "route",
      "service",
      "status",
      "time",
    ]);
    expect(line).toMatchObject({ route: "unmatched", path: "/nope", status: 404 });
    expect(logs.filter((l) => l.reqId === "req-2")).toHaveLength(1);
  });

  it("redacts secrets in logs", async () => {
    const { kit, logs } = await kitWithLogs();
    current = kit;
    await kit.app.inject({ method: "POST", url: "/login", payload: { user: "ann", password: "hunter2" } });
    const line = logs.find((l) => l.msg === "login attempt");
    expect(line?.body).toEqual({ user: "ann", password: "[redacted]" });
    expect(JSON.stringify(logs)).not.toContain("hunter2");
  });

  it("exposes RED metrics labelled by route pattern, plus runtime metrics", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    await kit.app.inject({ method: "GET", url: "/items/1" });
    await kit.app.inject({ method: "GET", url: "/items/2" });
    await kit.app.inject({ method: "GET", url: "/nope/123" });
    const res = await kit.app.inject({ method: "GET", url: "/metrics" });
    expect(res.headers["content-type"]).toContain("text/plain");
    expect(res.body).toContain('http_requests_total{method="GET",route="/items/:id",status="200",service="test"} 2');
    expect(res.body).toContain('route="unmatched",status="404"');
    expect(res.body).not.toContain("/items/1");
    expect(res.body).toContain(
      'http_request_duration_seconds_bucket{le="0.005",service="test",method="GET",route="/items/:id",status="200"}',
    );
    expect(res.body).toContain("process_cpu_seconds_total");
    expect(res.body).toContain("nodejs_eventloop_lag_seconds");
  });

  it("serves liveness always and readiness from the registered checks", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    let dbUp = false;
    kit.app.health.addCheck("db", () => {
      if (!dbUp) throw new Error("connection refused");
    });
    expect((await kit.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const down = await kit.app.inject({ method: "GET", url: "/readyz" });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ error: "not ready: db: connection refused", checks: { db: "connection refused" } });
    dbUp = true;
    const up = await kit.app.inject({ method: "GET", url: "/readyz" });
    expect(up.json()).toEqual({ status: "ready", checks: { db: "ok" } });
  });
});

describe("load shedding", () => {
  it("answers 503 with Retry-After past the heap limit, but keeps liveness and metrics", async () => {
    const { kit } = await kitWithLogs({ MAX_HEAP_USED_BYTES: "1" });
    current = kit;
    // under-pressure samples once a second; the first sample makes any heap "too big".
    await vi.waitFor(async () => expect((await kit.app.inject({ method: "GET", url: "/items/1" })).statusCode).toBe(503), {
      timeout: 5_000,
      interval: 100,
    });
    const shed = await kit.app.inject({ method: "GET", url: "/items/1" });
    expect(shed.headers["retry-after"]).toBe(String(RETRY_AFTER_SECONDS));
    expect(shed.json().error).toMatch(/^overloaded \(heap in use \d+ MiB\); retry in 10 s$/);
    expect((await kit.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    expect((await kit.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect((await kit.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200);
  });

  it("answers 503 while the event loop lags past the limit", async () => {
    const { kit } = await kitWithLogs({ MAX_EVENT_LOOP_DELAY_MS: "1" });
    current = kit;
    await vi.waitFor(
      async () => {
        const block = Date.now() + 300; // a handler that hogs the loop, as a CPU-bound bug would
        while (Date.now() < block) {}
        await new Promise((resolve) => setTimeout(resolve, 50));
        const res = await kit.app.inject({ method: "GET", url: "/items/1" });
        expect(res.statusCode).toBe(503);
        expect(res.json().error).toMatch(/^overloaded \(event loop delay \d+ ms\)/);
      },
      { timeout: 10_000, interval: 10 },
    );
  });

  it("sheds nothing under the default limits (negative control)", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await kit.app.inject({ method: "GET", url: "/items/1" })).statusCode).toBe(200);
  });
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and lists every route the service answers, and nothing else", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    const res = await kit.app.inject({ method: "GET", url: "/openapi.json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toEqual({ title: "test", version: "1.2.3" });
    expect(documentedRoutes(doc)).toEqual(
      [
        "GET /boom",
        "GET /healthz",
        "GET /items/{id}",
        "GET /metrics",
        "GET /openapi.json",
        "GET /readyz",
        "HEAD /boom",
        "HEAD /healthz",
        "HEAD /items/{id}",
        "HEAD /metrics",
        "HEAD /openapi.json",
        "HEAD /readyz",
        "POST /items",
        "POST /login",
      ].sort(),
    );
    expect(doc.paths["/items"].post.requestBody.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["name"],
    });
  });

  it("declares the kit's error answers once for every route, always as JSON", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    kit.app.get(
      "/blob/:id",
      {
        schema: {
          params: z.object({ id: z.string() }),
          produces: ["application/octet-stream"],
          response: { 404: z.object({ error: z.string() }).describe("no such blob") },
        },
      },
      async () => Buffer.from("x") as never,
    );
    const doc = (await kit.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const codes = (path: string, method: string) => Object.keys(doc.paths[path][method].responses).sort();
    expect(codes("/items/{id}", "get")).toEqual(["200", "400", "404", "503"]);
    expect(codes("/items", "post")).toEqual(["200", "400", "413", "415", "503"]);
    expect(codes("/login", "post")).toEqual(["200", "400", "413", "415", "503"]);
    expect(codes("/boom", "get")).toEqual(["200", "503"]);
    // Never shed (liveness), nothing to validate: no error answer at all.
    expect(codes("/healthz", "get")).toEqual(["200"]);
    const blob = doc.paths["/blob/{id}"].get.responses;
    expect(Object.keys(blob["200"].content)).toEqual(["application/octet-stream"]);
    for (const code of ["400", "404", "503"]) {
      expect(Object.keys(blob[code].content)).toEqual(["application/json"]);
      expect(blob[code].content["application/json"].schema).toMatchObject({ type: "object", required: ["error"] });
    }
    // The route's own description wins over the kit's.
    expect(blob["404"].description).toBe("no such blob");
    expect(blob["503"].headers["retry-after"]).toBeDefined();
  });

  it("writes a tuple as JSON Schema 2020-12 prefixItems, never the draft-07 items array", async () => {
    const { kit } = await kitWithLogs();
    current = kit;
    kit.app.get(
      "/triple",
      { schema: { response: { 200: z.tuple([z.number(), z.number(), z.number()]) } } },
      async () => [1, 2, 3] as [number, number, number],
    );
    const doc = (await kit.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const schema = doc.paths["/triple"].get.responses["200"].content["application/json"].schema;
    expect(schema).toMatchObject({
      type: "array",
      prefixItems: [{ type: "number" }, { type: "number" }, { type: "number" }],
      items: false,
    });
  });
});

function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}
