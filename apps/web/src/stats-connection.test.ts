// Real HTTP, real Server-Sent Events (Node's EventSource, enabled in vitest.config.ts), real restarts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeStatsServer } from "../test/fake-stats-server.ts";
import type { StatsSample } from "./stats.ts";
import { type ConnectionStatus, StatsConnection, type StatsConnectionOptions } from "./stats-connection.ts";

const servers: FakeStatsServer[] = [];
const connections: StatsConnection[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) c.stop();
  for (const s of servers.splice(0)) await s.stop();
});

async function serve(options: ConstructorParameters<typeof FakeStatsServer>[0] = {}): Promise<FakeStatsServer> {
  const server = new FakeStatsServer(options);
  await server.start();
  servers.push(server);
  return server;
}

function connect(server: FakeStatsServer, extra: Partial<StatsConnectionOptions> = {}) {
  const samples: StatsSample[] = [];
  const states: ConnectionStatus[] = [];
  const conn = new StatsConnection({
    statsUrl: `${server.origin}/stats`,
    streamUrl: `${server.origin}/stats/stream`,
    onSample: (s) => samples.push(s),
    onStatus: (s) => states.push(s),
    baseDelayMs: 40,
    pollIntervalMs: 100,
    maxDelayMs: 200,
    ...extra,
  });
  connections.push(conn);
  conn.start();
  return { conn, samples, states };
}

const waitFor = (fn: () => void) => vi.waitFor(fn, { timeout: 5_000, interval: 10 });

describe("StatsConnection", () => {
  it("has a real EventSource to test with", () => {
    expect(typeof EventSource).toBe("function");
  });

  it("goes live on the stream and delivers changing samples", async () => {
    const server = await serve();
    const { conn, samples } = connect(server);
    await waitFor(() => expect(samples.length).toBeGreaterThanOrEqual(3));
    expect(conn.status).toMatchObject({ state: "live", transport: "stream", failures: 0 });
    expect(new Set(samples.map((s) => s.cpu)).size).toBeGreaterThan(1);
  });

  it("shows reconnecting while the service restarts, then live again", async () => {
    const server = await serve();
    const { conn, samples, states } = connect(server);
    await waitFor(() => expect(conn.status.state).toBe("live"));
    await server.stop();
    await waitFor(() => expect(conn.status.state).toBe("reconnecting"));
    expect(conn.status.retryAt).not.toBeNull();
    const before = samples.length;
    await server.start(); // same port
    await waitFor(() => expect(conn.status).toMatchObject({ state: "live", transport: "stream" }));
    await waitFor(() => expect(samples.length).toBeGreaterThan(before));
    expect(states.map((s) => s.state)).toContain("reconnecting");
  });

  it("turns offline after repeated failures and keeps retrying", async () => {
    const server = await serve();
    await server.stop();
    const { conn } = connect(server, { offlineAfter: 3 });
    await waitFor(() => expect(conn.status.state).toBe("offline"));
    const failures = conn.status.failures;
    await waitFor(() => expect(conn.status.failures).toBeGreaterThan(failures));
    await server.start();
    await waitFor(() => expect(conn.status.state).toBe("live"));
  });

  it("falls back to polling when the stream is broken but the API answers", async () => {
    const server = await serve({ stream: false });
    const { conn, samples } = connect(server);
    await waitFor(() => expect(conn.status).toMatchObject({ state: "live", transport: "poll" }));
    const n = samples.length;
    await waitFor(() => expect(samples.length).toBeGreaterThan(n + 1));
    expect(conn.status.state).toBe("live");
  });

  it("polls when the browser has no EventSource", async () => {
    const server = await serve();
    const { conn, samples } = connect(server, { createEventSource: null });
    await waitFor(() => expect(samples.length).toBeGreaterThanOrEqual(2));
    expect(conn.status).toMatchObject({ state: "live", transport: "poll" });
    expect(server.streamsOpened).toBe(0);
  });

  it("reconnectNow skips the backoff", async () => {
    const server = await serve();
    await server.stop();
    const { conn } = connect(server, { baseDelayMs: 60_000, maxDelayMs: 60_000 });
    await waitFor(() => expect(conn.status.state).toBe("reconnecting"));
    await server.start();
    conn.reconnectNow();
    await waitFor(() => expect(conn.status.state).toBe("live"));
  });

  it("stop() closes the stream and ends all activity", async () => {
    const server = await serve();
    const { conn, samples } = connect(server);
    await waitFor(() => expect(samples.length).toBeGreaterThan(0));
    conn.stop();
    const n = samples.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(samples.length).toBe(n);
  });
});
