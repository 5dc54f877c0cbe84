import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { commonEnv, loadConfig } from "./config.ts";
import { createKit, type Kit } from "./kit.ts";

const config = loadConfig(z.object(commonEnv({ port: 0 })), { BODY_LIMIT_BYTES: "64", LOG_LEVEL: "info" });

/** A kit whose log lines are collected as parsed JSON. */
async function kitWithLogs(): Promise<{ kit: Kit; logs: Array<Record<string, unknown>> }> {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const kit = await createKit({ name: "test", version: "1.2.3", config, logDestination: destination as never });
  kit.app.get("/items/:id", async (request) => ({ id: (request.params as { id: string }).id }));
  kit.app.post(
    "/items",
    { schema: { body: { type: "object", required: ["name"], properties: { name: { type: "string" } } } } },
    async (request) => request.body,
  );
  kit.app.get("/boom", async () => {
    throw new Error("secret internal detail");
  });
  kit.app.post("/login", async (request) => {
    request.log.info({ body: request.body }, "login attempt");
    return { ok: true };
  });
  return { kit, logs };
}

let current: Kit | undefined;
afterEach(async () => {
  await current?.close();
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
    kit.health.addCheck("db", () => {
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
