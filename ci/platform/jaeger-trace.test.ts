import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";
import { closeStandIns, standIn } from "../lib/stand-in.ts";

const script = new URL("jaeger-trace.py", import.meta.url).pathname;
const traceAssert = new URL("../observability/trace-assert.py", import.meta.url).pathname;
afterEach(closeStandIns);
const files = scratch("jaeger-trace");

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
/** Jaeger v2's answer to GET /api/v3/traces/<id>: OTLP JSON (hex ids, numeric kinds) under `result`. */
const result = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "stats" } }] },
      scopeSpans: [
        {
          scope: {},
          spans: [{ traceId: TRACE, spanId: "b7ad6b7169203331", parentSpanId: "00f067aa0ba902b7", name: "GET /stats", kind: 2 }],
        },
      ],
    },
  ],
};

/** A stand-in Jaeger query service that knows one trace; records the paths asked for. */
async function jaeger(): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const url = await standIn((req, res) => {
    paths.push(String(req.url));
    if (req.url === `/api/v3/traces/${TRACE}`) return res.end(JSON.stringify({ result }));
    const q = new URL(String(req.url), "http://x").searchParams;
    const min = Date.parse(q.get("query.start_time_min") ?? ""),
      max = Date.parse(q.get("query.start_time_max") ?? "");
    if (q.get("query.service_name") === "stats" && q.get("query.operation_name") === "GET /stats" && min < Date.now() && Date.now() < max)
      return res.end(JSON.stringify({ result }));
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { httpCode: 404, message: "trace not found" } }));
  });
  return { url, paths };
}

describe("ci/platform/jaeger-trace.py", () => {
  it("writes the trace as one OTLP JSON line that trace-assert.py checks", async () => {
    const out = files.path("trace.jsonl");
    const j = await jaeger();
    expect(await python3([script, `${j.url}/`, TRACE, out])).toMatchObject({ code: 0, stdout: "1\n" });
    expect(j.paths).toEqual([`/api/v3/traces/${TRACE}`]);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(result);
    expect(await python3([traceAssert, out, "check", TRACE, "--services", "stats", "--parent", "stats=00f067aa0ba902b7"])).toMatchObject({
      code: 0,
    });
    // negative control: another caller's span is not stats' parent
    expect((await python3([traceAssert, out, "check", TRACE, "--parent", "stats=1111111111111111"])).code).toBe(1);
  });

  it("an unknown trace: exit 1, an empty file, and trace-assert.py finds nothing in it", async () => {
    const out = files.path("trace.jsonl");
    const other = "0".repeat(31) + "1";
    expect(await python3([script, (await jaeger()).url, other, out])).toMatchObject({ code: 1, stderr: `no trace ${other} in Jaeger\n` });
    expect(readFileSync(out, "utf8")).toBe("");
    expect((await python3([traceAssert, out, "check", other])).code).toBe(1);
  });

  it("--find: the traces of a service's operation, which trace-assert.py finds in the file", async () => {
    const out = files.path("found.jsonl");
    const j = await jaeger();
    expect(await python3([script, j.url, "--find", "stats", "GET /stats", out])).toMatchObject({ code: 0, stdout: "1\n" });
    expect(j.paths[0]).toMatch(/^\/api\/v3\/traces\?query\.service_name=stats&query\.operation_name=GET\+%2Fstats&/);
    expect(await python3([traceAssert, out, "find", "stats", "GET /stats"])).toMatchObject({ code: 0, stdout: `${TRACE}\n` });
    // control: an operation nobody ran finds nothing
    expect(await python3([script, j.url, "--find", "stats", "GET /nothing", out])).toMatchObject({ code: 1 });
    expect(readFileSync(out, "utf8")).toBe("");
  });

  it("bad arguments: usage, exit 2", async () => {
    expect((await python3([script, "http://x"])).code).toBe(2);
  });
});
