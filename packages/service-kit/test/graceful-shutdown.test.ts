import { Agent, request } from "node:http";
import { type StartedService, startService } from "@flotilla/test-support";
import { describe, expect, it } from "vitest";

const FIXTURE = new URL("./fixtures/slow-service.ts", import.meta.url).pathname;

interface Started {
  child: StartedService["child"];
  port: number;
  /** The fixture's JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
}

async function startFixture(env: Record<string, string>): Promise<Started> {
  const service = await startService({
    args: [FIXTURE],
    env: { HOST: "127.0.0.1", PORT: "0", ...env },
    readyLine: '"msg":"slow listening"',
  });
  const logs = () =>
    service
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const port = Number(new URL(String(logs().find((l) => l.msg === "slow listening")?.address)).port);
  return { child: service.child, port, logs, exited: service.exited };
}

interface Outcome {
  ok: number;
  statuses: Record<number, number>;
  errors: Record<string, number>;
}

/** `connections` clients, each sending requests back to back until the listener is gone. */
async function load(port: number, connections: number, stopAfterMs: number): Promise<Outcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const outcome: Outcome = { ok: 0, statuses: {}, errors: {} };
  const deadline = Date.now() + stopAfterMs;
  const one = () =>
    new Promise<"continue" | "stop">((resolve) => {
      const req = request({ host: "127.0.0.1", port, path: "/slow", agent }, (res) => {
        res.resume();
        res.on("end", () => {
          outcome.statuses[res.statusCode ?? 0] = (outcome.statuses[res.statusCode ?? 0] ?? 0) + 1;
          if (res.statusCode === 200) outcome.ok++;
          resolve("continue");
        });
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        const code = error.code ?? error.message;
        outcome.errors[code] = (outcome.errors[code] ?? 0) + 1;
        resolve(code === "ECONNREFUSED" ? "stop" : "continue");
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline && (await one()) === "continue") {}
    }),
  );
  agent.destroy();
  return outcome;
}

describe("graceful shutdown under load", () => {
  it("answers every request it accepted, turns unready, and exits 0 on SIGTERM", async () => {
    const { child, port, logs, exited } = await startFixture({ SHUTDOWN_DELAY_MS: "300", SHUTDOWN_GRACE_MS: "5000" });
    const running = load(port, 50, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill("SIGTERM");
    // Readiness flips at once, while the listener still serves during the delay.
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ error: "not ready: shutting down" });

    const outcome = await running;
    expect(await exited).toBe(0);

    const received = Number(logs().find((l) => l.msg === "requests received")?.received);
    // Every request the server began to handle reached the client as a 200 (the readiness
    // probe above is the one extra request the server saw).
    expect(outcome.ok).toBeGreaterThan(200);
    expect(Object.keys(outcome.statuses)).toEqual(["200"]);
    expect(received).toBe(outcome.ok + 1);
    // Client errors are connection-level only: refused after the listener closed, or reset
    // because the kernel dropped a connection still in the accept backlog (or Node closed one
    // that had sent nothing yet) when the listener closed. None of them carried a request the
    // server had received: that is what `received` above proves.
    expect(outcome.errors.ECONNREFUSED).toBeGreaterThan(0);
    for (const code of Object.keys(outcome.errors)) expect(["ECONNREFUSED", "ECONNRESET", "EPIPE"]).toContain(code);
    expect(logs().some((l) => l.msg === "shutdown complete")).toBe(true);
  });

  it("cuts requests that outlast the grace period and still exits", async () => {
    const { child, port, exited } = await startFixture({ SHUTDOWN_GRACE_MS: "10" });
    const running = load(port, 20, 2_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill("SIGTERM");
    await running;
    expect(await exited).toBe(0);
  });
});
