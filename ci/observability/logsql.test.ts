import { afterEach, describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { closeStandIns, standIn } from "../lib/stand-in.ts";

const script = new URL("logsql.py", import.meta.url).pathname;
const logsql = (...args: string[]) => python3([script, ...args]);
afterEach(closeStandIns);

/** A stand-in VictoriaLogs answering each query with ROWS (JSON lines); records the queries. */
async function victoriaLogs(rows: object[]): Promise<{ url: string; queries: string[] }> {
  const queries: string[] = [];
  const url = await standIn((req, res, body) => {
    queries.push(`${req.method} ${req.url} ${new URLSearchParams(body).get("query")}`);
    res.end(rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
  });
  return { url, queries };
}

describe("ci/observability/logsql.py", () => {
  it("has: 0 when a row has every field, 1 otherwise; the query goes to /select/logsql/query", async () => {
    const vl = await victoriaLogs([
      { "service.name": "store", route: "/users/:id", status: "200" },
      { "service.name": "hello", route: "/hello", status: "404" },
    ]);
    expect(await logsql("has", vl.url, 'reqId:"r1"', "service.name=store", "status=200")).toMatchObject({ code: 0 });
    expect(await logsql("has", vl.url, 'reqId:"r1"', "service.name=store", "status=404")).toMatchObject({ code: 1 });
    expect(vl.queries[0]).toBe('POST /select/logsql/query reqId:"r1"');
  });

  it("count: the number a count() query answers, 0 for no row", async () => {
    expect(await logsql("count", (await victoriaLogs([{ "count(*)": "3" }])).url, "x | count()")).toMatchObject({ code: 0, stdout: "3\n" });
    expect(await logsql("count", (await victoriaLogs([])).url, "x | count()")).toMatchObject({ code: 0, stdout: "0\n" });
  });

  it("trace: traceId and spanId of the first row with a traceId; exit 1 naming the query when none", async () => {
    const vl = await victoriaLogs([{ _msg: "no trace" }, { traceId: "t1", spanId: "s1" }, { traceId: "t2", spanId: "s2" }]);
    expect(await logsql("trace", vl.url, "q")).toMatchObject({ code: 0, stdout: "t1 s1\n" });
    expect(await logsql("trace", (await victoriaLogs([{ _msg: "x" }])).url, "q")).toMatchObject({
      code: 1,
      stderr: "no log line with a traceId for: q\n",
    });
  });

  it("bad arguments: usage, exit 2", async () => {
    for (const args of [[], ["has", "http://x", "q"], ["has", "http://x", "q", "novalue"], ["count", "http://x"]]) {
      expect((await logsql(...args)).code).toBe(2);
    }
  });
});
