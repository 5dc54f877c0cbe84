import { createServer, type Server, type Socket } from "node:net";
import { freePort } from "@flotilla/test-support";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RouteGuideClient } from "../src/route-guide-client.ts";
import { metricValue, scrape, startApp, WAIT } from "./helpers.ts";

const LIBERTY = { latitude: 406892490, longitude: -740445000 };

/** A "backend" that accepts connections and never answers: every save runs into its deadline. */
async function blackHole(): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("backend down: the server keeps answering, failures are counted", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let client: RouteGuideClient;
  let backendPort: number;

  beforeAll(async () => {
    backendPort = await freePort(); // nothing listens there
    app = await startApp({
      ROUTEGUIDE_MODE: "server",
      BACKEND_ADDR: `127.0.0.1:${backendPort}`,
      SAVE_MAX_ATTEMPTS: "2",
      SAVE_BACKOFF_BASE_MS: "10",
      SAVE_BACKOFF_MAX_MS: "20",
      SAVE_DEADLINE_MS: "200",
      NOTES_DEADLINE_MS: "200",
    });
    client = new RouteGuideClient({ address: `127.0.0.1:${app.grpcPorts.server}` });
  });
  afterAll(async () => {
    client.close();
    await app.cleanup();
  });

  it("GetFeature succeeds while every save fails, and the failures are counted", async () => {
    for (let i = 0; i < 5; i++) expect((await client.getFeature(LIBERTY)).name).toMatch(/^Statue of Liberty/);
    await vi.waitFor(async () => {
      const metrics = await scrape(app);
      expect(metricValue(metrics, "routeguide_feature_saves_total", { result: "failed" })).toBe(5);
      expect(metricValue(metrics, "routeguide_feature_save_retries_total")).toBe(5);
      expect(metricValue(metrics, "routeguide_feature_saves_total", { result: "saved" })).toBe(0);
    }, WAIT);
  });

  it("RouteChat ends with UNAVAILABLE naming the backend (no silent loss of history)", async () => {
    await expect(client.chat([{ location: LIBERTY, message: "hello?" }])).rejects.toMatchObject({
      code: status.UNAVAILABLE,
      details: expect.stringMatching(/route notes backend unavailable \(list\)/),
    });
    expect(metricValue(await scrape(app), "routeguide_notes_backend_failures_total", { operation: "list" })).toBe(1);
  });

  it("ListFeatures and RecordRoute do not need the backend", async () => {
    expect((await client.listFeatures({ lo: LIBERTY, hi: LIBERTY })).length).toBe(1);
    expect((await client.recordRoute([LIBERTY])).feature_count).toBe(1);
  });

  it("readiness does not depend on the backend (an outage must not empty every replica)", async () => {
    expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
  });
});

describe("backend hanging: saves time out in the background, the queue is bounded", () => {
  it("GetFeature is not held up by a save stuck until its deadline, and overflow is dropped", async () => {
    const hole = await blackHole();
    const app = await startApp({
      ROUTEGUIDE_MODE: "server",
      BACKEND_ADDR: `127.0.0.1:${hole.port}`,
      SAVE_QUEUE_CAPACITY: "2",
      SAVE_CONCURRENCY: "1",
      SAVE_MAX_ATTEMPTS: "1",
      SAVE_DEADLINE_MS: "30000",
      SHUTDOWN_GRACE_MS: "200",
    });
    const client = new RouteGuideClient({ address: `127.0.0.1:${app.grpcPorts.server}`, timeoutMs: 5_000 });
    try {
      // One save in flight (stuck for 30 s), two waiting, the other seven dropped; every call
      // returns long before the save deadline.
      for (let i = 0; i < 10; i++) expect((await client.getFeature(LIBERTY)).name).toMatch(/^Statue/);
      const metrics = await scrape(app);
      expect(metricValue(metrics, "routeguide_feature_saves_total", { result: "dropped", reason: "queue_full" })).toBe(7);
      expect(metricValue(metrics, "routeguide_save_queue_depth")).toBe(2);
    } finally {
      client.close();
      await app.cleanup();
      await hole.close();
    }
    // Shutdown gave the stuck saves 200 ms, then dropped the waiting ones.
    const after = await app.metrics.metrics();
    expect(metricValue(after, "routeguide_feature_saves_total", { result: "dropped", reason: "shutdown" })).toBe(2);
    expect(metricValue(after, "routeguide_feature_saves_total", { result: "failed" })).toBe(1);
  });
});

describe("backend comes back", () => {
  it("a save retried with backoff lands once the backend is up", async () => {
    const port = await freePort();
    const server = await startApp({
      ROUTEGUIDE_MODE: "server",
      BACKEND_ADDR: `127.0.0.1:${port}`,
      SAVE_MAX_ATTEMPTS: "20",
      SAVE_BACKOFF_BASE_MS: "50",
      SAVE_BACKOFF_MAX_MS: "200",
      SAVE_DEADLINE_MS: "300",
    });
    const client = new RouteGuideClient({ address: `127.0.0.1:${server.grpcPorts.server}` });
    let backend: Awaited<ReturnType<typeof startApp>> | undefined;
    try {
      await client.getFeature(LIBERTY);
      await vi.waitFor(
        async () => expect(metricValue(await scrape(server), "routeguide_feature_save_retries_total")).toBeGreaterThan(0),
        WAIT,
      );
      backend = await startApp({ ROUTEGUIDE_MODE: "backend", BACKEND_PORT: String(port) });
      await vi.waitFor(
        async () => expect(metricValue(await scrape(server), "routeguide_feature_saves_total", { result: "saved" })).toBe(1),
        WAIT,
      );
    } finally {
      client.close();
      await server.cleanup();
      await backend?.cleanup();
    }
  });
});
