import { statsSampleSchema } from "@flotilla/contracts/stats-sample";
import { waitFor } from "@flotilla/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { listenLocal, metricValue, openStream, type Running, startApp, waitReady } from "../../test/helpers.ts";
import { statsEvent } from "./stream.ts";

let kit: Running | undefined;
afterEach(async () => {
  await kit?.close();
  kit = undefined;
});

const EVENT = /id: (\d+)\nevent: stats\ndata: (\{.*\})\n\n/g;

function events(text: string): { id: number; data: { seq: number; cpu: number; ram: number } }[] {
  return [...text.matchAll(EVENT)].map((m) => ({ id: Number(m[1]), data: JSON.parse(m[2] ?? "") }));
}

describe("GET /stats/stream", () => {
  it("speaks SSE: headers, retry hint, the latest sample at once, then one event per sample", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "100" });
    await waitReady(kit);
    const base = await listenLocal(kit);
    const stream = await openStream(`${base}/stats/stream`);
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(stream.response.headers["cache-control"]).toBe("no-cache, no-transform");
    expect(stream.response.headers["x-accel-buffering"]).toBe("no");
    const text = await waitFor(() => (events(stream.text()).length >= 3 ? stream.text() : undefined));
    expect(text.startsWith("retry: 1000\n\n")).toBe(true);
    const got = events(text);
    for (const [i, e] of got.entries()) {
      expect(e.id).toBe(e.data.seq);
      if (i > 0) expect(e.id).toBe((got[i - 1]?.id ?? 0) + 1);
      expect(e.data.ram).toBeGreaterThan(0);
    }
    stream.close();
  });

  it("sends exactly the events its OpenAPI document describes", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "100", STATS_SSE_HEARTBEAT_MS: "1000" });
    await waitReady(kit);
    const doc = (await kit.app.inject("/openapi.json")).json();
    const documented = doc.paths["/stats/stream"].get.responses["200"].content["text/event-stream"].schema;
    expect(documented).toMatchObject({ type: "object", required: ["id", "event", "data"], properties: { event: { enum: ["stats"] } } });
    expect(documented.properties.data.contentSchema.properties.loadAverage.prefixItems).toHaveLength(3);
    const base = await listenLocal(kit);
    const stream = await openStream(`${base}/stats/stream`);
    const text = await waitFor(() =>
      events(stream.text()).length >= 2 && stream.text().includes(": heartbeat") ? stream.text() : undefined,
    );
    stream.close();
    // Every block with data is one documented event, its data one /stats body.
    const blocks = text.split("\n\n").filter((b) => b.includes("data: "));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const block of blocks) {
      const fields = Object.fromEntries(
        block.split("\n").map((line) => [line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)]),
      );
      expect(statsEvent.safeParse(fields).success).toBe(true);
      expect(statsSampleSchema.safeParse(JSON.parse(String(fields.data))).success).toBe(true);
    }
    // The schema can fail: an event without its `event:` line is not what the document says.
    expect(statsEvent.safeParse({ id: "1", data: "{}" }).success).toBe(false);
  });

  it("sends heartbeat comments", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "60000", STATS_SSE_HEARTBEAT_MS: "1000" });
    const base = await listenLocal(kit);
    const stream = await openStream(`${base}/stats/stream`);
    // No sample yet at 60 s intervals: only the retry hint, then a heartbeat.
    expect(await stream.until(/: heartbeat\n\n/)).toBe("retry: 60000\n\n: heartbeat\n\n");
    stream.close();
  });

  it("does not resend the sample a reconnecting client already has (Last-Event-ID)", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "3000", STATS_SSE_HEARTBEAT_MS: "1000" });
    await waitReady(kit); // sample 1 exists; sample 2 comes 3 s after it
    const base = await listenLocal(kit);
    const fresh = await openStream(`${base}/stats/stream`);
    const resumed = await openStream(`${base}/stats/stream`, { "last-event-id": "1" });
    await fresh.until(/id: 1\n/);
    await resumed.until(/: heartbeat/);
    expect(resumed.text()).toBe("retry: 3000\n\n: heartbeat\n\n");
    fresh.close();
    resumed.close();
  });

  it("removes a client that disconnects (gauge back to 0) and enforces the cap with a JSON 503", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "100", STATS_MAX_STREAMS: "2" });
    const base = await listenLocal(kit);
    const a = await openStream(`${base}/stats/stream`);
    const b = await openStream(`${base}/stats/stream`);
    expect(await metricValue(kit, "stats_sse_streams")).toBe(2);
    expect(await metricValue(kit, "stats_sse_streams_limit")).toBe(2); // saturation = streams / limit

    const res = await fetch(`${base}/stats/stream`);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual({ error: expect.stringContaining("too many open streams (limit 2)") });
    expect(await metricValue(kit, "stats_sse_rejected_total")).toBe(1);

    a.close();
    await waitFor(async () => ((await metricValue(kit as Running, "stats_sse_streams")) === 1 ? true : undefined));
    const c = await openStream(`${base}/stats/stream`);
    expect(c.response.statusCode).toBe(200);
    b.close();
    c.close();
    await waitFor(async () => ((await metricValue(kit as Running, "stats_sse_streams")) === 0 ? true : undefined));
  });

  it("ends open streams on shutdown instead of waiting out the grace period", async () => {
    kit = await startApp({ STATS_SAMPLE_INTERVAL_MS: "100", SHUTDOWN_GRACE_MS: "30000" });
    const base = await listenLocal(kit);
    const stream = await openStream(`${base}/stats/stream`);
    await stream.until(/retry/);
    const started = Date.now();
    await kit.shutdown();
    kit = undefined;
    await stream.ended;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
