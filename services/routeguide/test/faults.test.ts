import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { RouteGuideClient } from "../src/route-guide-client.ts";
import { metricValue, scrape, startApp, tempDir, WAIT } from "./helpers.ts";

const LIBERTY = { latitude: 406892490, longitude: -740445000 };
const EMPIRE = { latitude: 407484410, longitude: -739856640 };
const method = (name: string) => `/routeguide.RouteGuide/${name}`;

describe("the kit's fault switch on routeguide's gRPC server (FAULTS_FILE)", () => {
  const logs: Array<Record<string, unknown>> = [];
  const dir = tempDir("faults");
  let app: Awaited<ReturnType<typeof startApp>>;
  let client: RouteGuideClient;
  const callLine = (name: string) => logs.find((l) => l.msg === "grpc call" && l.grpcMethod === name);

  beforeAll(async () => {
    const file = join(dir.dir, "faults.json");
    writeFileSync(
      file,
      JSON.stringify({
        rules: [
          { service: "routeguide", grpcMethod: method("GetFeature"), grpcCode: "UNAVAILABLE", share: 1 },
          { grpcMethod: method("RecordRoute"), latencyMs: 80, share: 1 },
          { grpcMethod: method("ListFeatures"), latencyMs: 2_000, share: 1 },
        ],
      }),
    );
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
        done();
      },
    });
    app = await startApp({ FAULTS_FILE: file, LOG_LEVEL: "info" }, { logDestination: destination as never });
    client = new RouteGuideClient({ address: `127.0.0.1:${app.grpcPorts.server}`, timeoutMs: 500 });
  });
  afterAll(async () => {
    client.close();
    await app.cleanup();
    dir.remove();
  });

  it("ends a picked call with the rule's code, counted by the kit and by grpc_server_handled_total", async () => {
    await expect(client.getFeature(LIBERTY)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE, details: "injected fault (drill)" });
    const metrics = await scrape(app);
    expect(metricValue(metrics, "faults_injected_total", { route: method("GetFeature"), kind: "error" })).toBe(1);
    expect(metricValue(metrics, "grpc_server_handled_total", { grpc_method: "GetFeature", grpc_code: "UNAVAILABLE" })).toBe(1);
    await vi.waitFor(() => expect(callLine("GetFeature")).toMatchObject({ grpcCode: "UNAVAILABLE", fault: "error" }), WAIT);
  });

  it("starts a picked call's handler late: a client stream's messages wait, none lost", async () => {
    const started = performance.now();
    const summary = await client.recordRoute([LIBERTY, EMPIRE, LIBERTY]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    expect(summary).toMatchObject({ point_count: 3, feature_count: 3 });
    await vi.waitFor(() => expect(callLine("RecordRoute")).toMatchObject({ grpcCode: "OK", fault: "latency" }), WAIT);
    expect(callLine("RecordRoute")?.durationMs).toBeGreaterThanOrEqual(75);
  });

  it("marks a call that its client gave up on while the fault held it", async () => {
    await expect(client.listFeatures({ lo: LIBERTY, hi: EMPIRE })).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
    await vi.waitFor(() => expect(callLine("ListFeatures")).toMatchObject({ fault: "latency" }), WAIT);
  });

  it("leaves the backend's methods and the other calls alone", async () => {
    expect(await client.chat([{ location: LIBERTY, message: "hi" }])).toEqual([]);
    expect(callLine("RouteChat")).not.toHaveProperty("fault");
    expect(logs.filter((l) => l.grpcServer === "backend" && l.fault !== undefined)).toEqual([]);
  });
});
