import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefinition, protos } from "../src/protos.ts";
import { RouteGuideClient } from "../src/route-guide-client.ts";
import { metricValue, scrape, startApp } from "./helpers.ts";

type HealthClient = grpc.Client & {
  Check(req: { service: string }, cb: (e: grpc.ServiceError | null, r: { status: string }) => void): void;
  Watch(req: { service: string }): grpc.ClientReadableStream<{ status: string }>;
};

function check(client: HealthClient, service: string): Promise<string> {
  return new Promise((resolve, reject) => client.Check({ service }, (error, reply) => (error ? reject(error) : resolve(reply.status))));
}

describe("health, reflection, metrics and HTTP probes", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let health: HealthClient;
  let backendHealth: HealthClient;

  beforeAll(async () => {
    app = await startApp();
    const { HealthClient } = protos();
    health = new HealthClient(`127.0.0.1:${app.grpcPorts.server}`, grpc.credentials.createInsecure()) as unknown as HealthClient;
    backendHealth = new HealthClient(`127.0.0.1:${app.grpcPorts.backend}`, grpc.credentials.createInsecure()) as unknown as HealthClient;
  });
  afterAll(async () => {
    health.close();
    backendHealth.close();
    await app.cleanup();
  });

  it("grpc.health.v1 answers SERVING for the server, its service and the backend service", async () => {
    expect(await check(health, "")).toBe("SERVING");
    expect(await check(health, "routeguide.RouteGuide")).toBe("SERVING");
    expect(await check(backendHealth, "")).toBe("SERVING");
    expect(await check(backendHealth, "flotilla.routeguide.backend.v1.Backend")).toBe("SERVING");
    await expect(check(health, "no.Such")).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it("reflection lists the services (what grpcurl uses) and serves their descriptors", async () => {
    const pkg = grpc.loadPackageDefinition(loadDefinition("reflectionV1")) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    };
    const client = new pkg.grpc.reflection.v1.ServerReflection(`127.0.0.1:${app.grpcPorts.server}`, grpc.credentials.createInsecure());
    const call = (
      client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, Record<string, unknown>> }
    ).ServerReflectionInfo();
    const replies: Array<Record<string, unknown>> = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on("data", (reply) => replies.push(reply));
      call.on("error", reject);
      call.on("end", resolve);
    });
    call.write({ listServices: "" });
    call.write({ fileContainingSymbol: "routeguide.RouteGuide" });
    call.end();
    await done;
    client.close();
    const names = (replies[0]?.listServicesResponse as { service: Array<{ name: string }> }).service.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["routeguide.RouteGuide", "grpc.health.v1.Health"]));
    const files = (replies[1]?.fileDescriptorResponse as { fileDescriptorProto: unknown[] }).fileDescriptorProto;
    expect(files.length).toBeGreaterThan(0);
  });

  it("/healthz, /readyz (LMDB check) and /metrics with gRPC call metrics", async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toEqual({ status: "ready", checks: { lmdb: "ok" } });
    const client = new RouteGuideClient({ address: `127.0.0.1:${app.grpcPorts.server}` });
    await client.getFeature({ latitude: 1, longitude: 1 });
    await expect(client.getFeature({ latitude: 999_999_999, longitude: 1 })).rejects.toThrow();
    client.close();
    const metrics = await scrape(app);
    const labels = { grpc_service: "routeguide.RouteGuide", grpc_method: "GetFeature" };
    expect(metricValue(metrics, "grpc_server_handled_total", { ...labels, grpc_code: "OK" })).toBe(1);
    expect(metricValue(metrics, "grpc_server_handled_total", { ...labels, grpc_code: "INVALID_ARGUMENT" })).toBe(1);
    expect(metricValue(metrics, "grpc_server_handling_seconds_count", labels)).toBe(2);
  });
});

describe("graceful shutdown", () => {
  it("health turns NOT_SERVING, an open chat may finish within the grace, then the server stops", async () => {
    const app = await startApp({ SHUTDOWN_GRACE_MS: "3000" });
    const address = `127.0.0.1:${app.grpcPorts.server}`;
    const { HealthClient } = protos();
    const health = new HealthClient(address, grpc.credentials.createInsecure()) as unknown as HealthClient;
    const client = new RouteGuideClient({ address });
    try {
      const statuses: string[] = [];
      const watch = health.Watch({ service: "" });
      watch.on("data", (reply: { status: string }) => statuses.push(reply.status));
      const watchEnded = new Promise<void>((resolve) => {
        watch.on("end", resolve);
        watch.on("error", () => resolve());
      });

      const spot = { latitude: 9, longitude: 9 };
      await client.chat([{ location: spot, message: "seed" }]);
      const chat = client.routeChat();
      const received: string[] = [];
      let firstReply!: () => void;
      const replied = new Promise<void>((resolve) => {
        firstReply = resolve;
      });
      chat.on("data", (note: { message: string }) => {
        received.push(note.message);
        firstReply();
      });
      const chatDone = new Promise<void>((resolve, reject) => {
        chat.on("end", resolve);
        chat.on("error", reject);
      });
      chat.write({ location: spot, message: "before shutdown" });
      await replied; // the stream is live on the server

      const closing = app.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The open stream is still served after shutdown began.
      chat.write({ location: spot, message: "during shutdown" });
      chat.end();
      await chatDone;
      expect(received).toEqual(["seed", "seed", "before shutdown"]);
      await closing;
      await watchEnded;
      expect(statuses).toEqual(["SERVING", "NOT_SERVING"]);
      await expect(client.getFeature(spot)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      health.close();
      client.close();
    }
  });
});
