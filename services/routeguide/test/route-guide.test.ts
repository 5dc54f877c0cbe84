import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BackendClient } from "../src/backend-client.ts";
import { distanceMetres } from "../src/geo.ts";
import { RouteGuideClient } from "../src/route-guide-client.ts";
import { metricValue, scrape, startApp, WAIT } from "./helpers.ts";

const LIBERTY = { latitude: 406892490, longitude: -740445000 };
const EMPIRE = { latitude: 407484410, longitude: -739856640 };

describe("RouteGuide over a real connection (server + backend)", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let client: RouteGuideClient;
  let backend: BackendClient;

  beforeAll(async () => {
    app = await startApp();
    client = new RouteGuideClient({ address: `127.0.0.1:${app.grpcPorts.server}` });
    backend = new BackendClient({ address: `127.0.0.1:${app.grpcPorts.backend}` });
  });
  afterAll(async () => {
    client.close();
    backend.close();
    await app.cleanup();
  });

  it("GetFeature returns the named feature and saves it to the backend", async () => {
    const feature = await client.getFeature(LIBERTY);
    expect(feature).toEqual({ name: "Statue of Liberty, Liberty Island, New York, NY, USA", location: LIBERTY });
    await client.getFeature(LIBERTY);
    const stored = await vi.waitFor(async () => {
      const all = await backend.listFeatures(0, 2_000);
      const found = all.find((s) => s.feature.name.startsWith("Statue of Liberty"));
      expect(found?.times_served).toBe(2);
      return found;
    }, WAIT);
    expect(stored?.feature.location).toEqual(LIBERTY);
    await vi.waitFor(
      async () => expect(metricValue(await scrape(app), "routeguide_feature_saves_total", { result: "saved" })).toBe(2),
      WAIT,
    );
  });

  it("GetFeature answers an unnamed feature where there is none (and saves nothing)", async () => {
    const feature = await client.getFeature({ latitude: 0, longitude: 0 });
    expect(feature).toEqual({ name: "", location: { latitude: 0, longitude: 0 } });
  });

  it("ListFeatures streams exactly the features inside the rectangle, edges included", async () => {
    const features = await client.listFeatures({ lo: EMPIRE, hi: { latitude: 407740000, longitude: -739709000 } });
    const names = features.map((f) => f.name).sort();
    expect(names).toEqual([
      "Central Park Bethesda Fountain, New York, NY, USA",
      "Empire State Building, 350 5th Ave, New York, NY, USA",
      "Grand Central Terminal, New York, NY, USA",
      "Times Square, New York, NY, USA",
    ]);
    expect(await client.listFeatures({ lo: { latitude: 0, longitude: 0 }, hi: { latitude: 10, longitude: 10 } })).toEqual([]);
  });

  it("RecordRoute sums points, features passed and haversine distance", async () => {
    const summary = await client.recordRoute([LIBERTY, EMPIRE, { latitude: 1, longitude: 1 }]);
    const expected = Math.round(distanceMetres(LIBERTY, EMPIRE) + distanceMetres(EMPIRE, { latitude: 1, longitude: 1 }));
    expect(summary).toEqual({ point_count: 3, feature_count: 2, distance: expected, elapsed_time: 0 });
    // Statue of Liberty -> Empire State Building is about 8.3 km as the crow flies.
    expect(distanceMetres(LIBERTY, EMPIRE)).toBeGreaterThan(8_000);
    expect(distanceMetres(LIBERTY, EMPIRE)).toBeLessThan(8_600);
  });

  it("RecordRoute of an empty stream is an empty summary", async () => {
    expect(await client.recordRoute([])).toEqual({ point_count: 0, feature_count: 0, distance: 0, elapsed_time: 0 });
  });

  it("RouteChat replays earlier notes at the same location, across streams", async () => {
    const at = (longitude: number) => ({ latitude: 123, longitude });
    const first = await client.chat([
      { location: at(1), message: "one" },
      { location: at(2), message: "two" },
      { location: at(1), message: "three" },
    ]);
    expect(first).toEqual([{ location: at(1), message: "one" }]);
    // A new stream (another user) sees the history kept by the backend.
    const second = await client.chat([{ location: at(1), message: "four" }]);
    expect(second.map((n) => n.message)).toEqual(["one", "three"]);
  });
});

describe("two server replicas sharing one backend", () => {
  it("share one chat history (the seed kept it per replica)", async () => {
    const backendOnly = await startApp({ ROUTEGUIDE_MODE: "backend" });
    const address = `127.0.0.1:${backendOnly.grpcPorts.backend}`;
    const replicaA = await startApp({ ROUTEGUIDE_MODE: "server", BACKEND_ADDR: address });
    const replicaB = await startApp({ ROUTEGUIDE_MODE: "server", BACKEND_ADDR: address });
    const a = new RouteGuideClient({ address: `127.0.0.1:${replicaA.grpcPorts.server}` });
    const b = new RouteGuideClient({ address: `127.0.0.1:${replicaB.grpcPorts.server}` });
    try {
      const spot = { latitude: 55, longitude: 66 };
      expect(await a.chat([{ location: spot, message: "from A" }])).toEqual([]);
      expect(await b.chat([{ location: spot, message: "from B" }])).toEqual([{ location: spot, message: "from A" }]);
      expect((await a.chat([{ location: spot, message: "again A" }])).map((n) => n.message)).toEqual(["from A", "from B"]);
    } finally {
      a.close();
      b.close();
      await replicaA.cleanup();
      await replicaB.cleanup();
      await backendOnly.cleanup();
    }
  });
});
