// Tracing end to end in real processes: a kit service from source and as an esbuild bundle built
// with the tracing plugin, exporting to an OTLP/HTTP receiver kept here; off by default.
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { type StartedService, startService, waitFor } from "@flotilla/test-support";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tracingPlugin } from "../src/tracing/esbuild-plugin.ts";

const FIXTURE = new URL("./fixtures/traced-service.ts", import.meta.url).pathname;
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

/** OTLP/HTTP export requests received (protobuf bodies). */
let bodies: Buffer[] = [];
let receiver: Server;
let endpoint = "";
let bundleDir = "";

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      bodies.push(req.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body);
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  bundleDir = mkdtempSync(join(tmpdir(), "flotilla-tracing-"));
  // As scripts/build-service.ts bundles a service.
  await build({
    entryPoints: { main: FIXTURE },
    outdir: bundleDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "error",
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    plugins: [tracingPlugin()],
  });
}, 60_000);

afterAll(() => {
  receiver?.close();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

async function run(entry: string, env: Record<string, string>): Promise<{ service: StartedService; port: number }> {
  const service = await startService({
    args: [entry],
    env: { HOST: "127.0.0.1", PORT: "0", ...env },
    readyLine: '"msg":"traced listening"',
  });
  const line =
    service
      .output()
      .split("\n")
      .find((l) => l.includes('"msg":"traced listening"')) ?? "";
  return { service, port: Number(new URL(String(JSON.parse(line).address)).port) };
}

function logLines(service: StartedService): Array<Record<string, unknown>> {
  return service
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const traced = { OTEL_TRACES_EXPORTER: "otlp", OTEL_BSP_SCHEDULE_DELAY: "100" };

describe.each([
  ["from source", () => FIXTURE],
  ["as an esbuild bundle", () => join(bundleDir, "main.mjs")],
])("tracing %s", (_how, entry) => {
  it("exports the request's spans under the caller's trace id, and logs that trace id", async () => {
    bodies = [];
    const readinessUrl = `${endpoint}/readiness-ping`;
    const { service, port } = await run(entry(), { ...traced, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, READINESS_URL: readinessUrl });
    try {
      // Probes and the readiness check's own client call are never traced; they end before /work's
      // spans, so they would be in the same export or an earlier one.
      await fetch(`http://127.0.0.1:${port}/healthz`);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${port}/work`, { headers: { traceparent: TRACEPARENT } });
      expect(res.status).toBe(200);
      const spans = await waitFor(
        () => {
          const all = Buffer.concat(bodies);
          return all.includes(Buffer.from(TRACE_ID, "hex")) && all.includes("GET /work") ? all : undefined;
        },
        { timeoutMs: 10_000 },
      );
      expect(spans.includes("service.name")).toBe(true);
      expect(spans.includes("traced")).toBe(true);
      expect(spans.includes("/healthz")).toBe(false);
      expect(spans.includes("/readyz")).toBe(false);
      expect(spans.includes("readiness-ping")).toBe(false);
      // stdout is written in batches (flushed within 500 ms), so the lines may follow the spans
      const workLines = () => logLines(service).filter((l) => l.msg === "working" || (l.msg === "request" && l.route === "/work"));
      const working = await waitFor(() => (workLines().length >= 2 ? workLines() : undefined), { timeoutMs: 5_000 }).catch(() =>
        workLines(),
      );
      expect(working).toHaveLength(2);
      for (const line of working) expect(line).toMatchObject({ traceId: TRACE_ID, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    } finally {
      expect(await service.stop()).toBe(0);
    }
  }, 30_000);

  it("is off by default: nothing exported, no trace fields in the logs", async () => {
    bodies = [];
    const { service, port } = await run(entry(), { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: "100" });
    try {
      await fetch(`http://127.0.0.1:${port}/work`, { headers: { traceparent: TRACEPARENT } });
      await new Promise((resolve) => setTimeout(resolve, 500)); // five export periods, had it been on
      expect(bodies).toEqual([]);
      // the request's lines are out (batched stdout), so their lack of trace fields means something
      await waitFor(() => logLines(service).some((l) => l.msg === "working") || undefined, { timeoutMs: 5_000 });
      expect(logLines(service).some((l) => "traceId" in l)).toBe(false);
    } finally {
      expect(await service.stop()).toBe(0);
    }
  }, 30_000);
});

it("refuses bad OTEL_* values, naming each (exit 78, before anything starts)", async () => {
  const service = await startService({
    args: [FIXTURE],
    env: { OTEL_TRACES_EXPORTER: "zipkin", OTEL_TRACES_SAMPLER_ARG: "2", OTEL_PROPAGATORS: "b3" },
  });
  expect(await service.exited).toBe(78);
  const output = service.output();
  for (const variable of ["OTEL_TRACES_EXPORTER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS"]) expect(output).toContain(variable);
  expect(output).not.toContain("    at "); // no stack
});
