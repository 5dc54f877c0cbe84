import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RouteNote } from "../src/messages.ts";
import { RouteGuideClient } from "../src/route-guide-client.ts";
import { startApp } from "./helpers.ts";

describe("bad input gets INVALID_ARGUMENT with a message, never a crash", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let client: RouteGuideClient;

  beforeAll(async () => {
    app = await startApp({ MAX_ROUTE_POINTS: "3", MAX_CHAT_NOTES: "2", MAX_NOTE_BYTES: "10" });
    client = new RouteGuideClient({ address: `127.0.0.1:${app.grpcPorts.server}` });
  });
  afterAll(async () => {
    client.close();
    await app.cleanup();
  });

  const rejects = (promise: Promise<unknown>, details: RegExp) =>
    expect(promise).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(details) });

  it("GetFeature: latitude or longitude off the globe", async () => {
    await rejects(client.getFeature({ latitude: 900_000_001, longitude: 0 }), /point\.latitude 900000001 is outside/);
    await rejects(client.getFeature({ latitude: 0, longitude: -1_800_000_001 }), /point\.longitude -1800000001 is outside/);
  });

  it("ListFeatures: missing corner, inverted rectangle, out-of-range corner", async () => {
    const p = { latitude: 1, longitude: 1 };
    await rejects(client.listFeatures({ lo: p, hi: null }), /hi is required/);
    await rejects(client.listFeatures({ lo: null, hi: p }), /lo is required/);
    await rejects(
      client.listFeatures({ lo: { latitude: 5, longitude: 0 }, hi: { latitude: 1, longitude: 9 } }),
      /inverted rectangle: lo\.latitude 5 > hi\.latitude 1/,
    );
    await rejects(
      client.listFeatures({ lo: { latitude: 0, longitude: 5 }, hi: { latitude: 9, longitude: 1 } }),
      /inverted rectangle: lo\.longitude/,
    );
    await rejects(client.listFeatures({ lo: { latitude: -950_000_000, longitude: 0 }, hi: p }), /lo\.latitude .* is outside/);
  });

  it("RecordRoute: a bad point, and too many points", async () => {
    await rejects(
      client.recordRoute([
        { latitude: 1, longitude: 1 },
        { latitude: 1, longitude: 2_000_000_000 },
      ]),
      /point 2\.longitude/,
    );
    const four = [1, 2, 3, 4].map((i) => ({ latitude: i, longitude: i }));
    await rejects(client.recordRoute(four), /more than 3 points/);
  });

  it("RouteChat: missing location, oversized message, too many notes", async () => {
    await rejects(client.chat([{ location: null, message: "hi" }]), /note 1 location is required/);
    await rejects(client.chat([{ location: { latitude: 1, longitude: 1 }, message: "x".repeat(11) }]), /11 bytes; the limit is 10/);
    const notes: RouteNote[] = [1, 2, 3].map((i) => ({ location: { latitude: 7, longitude: i }, message: "m" }));
    await rejects(client.chat(notes), /more than 2 notes/);
  });

  it("the server still answers after all that", async () => {
    expect((await client.getFeature({ latitude: 406892490, longitude: -740445000 })).name).toMatch(/^Statue of Liberty/);
  });
});
