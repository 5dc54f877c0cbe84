import { afterEach, describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { closeStandIns, standIn } from "../lib/stand-in.ts";

const script = new URL("sse.py", import.meta.url).pathname;
afterEach(closeStandIns);

/** A stand-in for stats' stream: the events at the given delays (ms), then it holds the stream open. */
const stream = (delays: number[]) =>
  standIn((req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "x-host": String(req.headers.host) });
    res.write("retry: 1000\n\n");
    for (const [i, ms] of delays.entries()) setTimeout(() => res.write(`event: stats\ndata: {"cpu":${i},"ram":1}\n\n`), ms);
  });
const result = (times: number[], extra: object = {}) =>
  JSON.stringify({ status: 200, content_type: "text/event-stream", events: times.map((t) => [t, '{"cpu": 1}']), ...extra });

describe("ci/cluster/sse.py", () => {
  it("reads EVENTS events with the time each arrived; exit 0", async () => {
    const url = await stream([0, 600, 1200]);
    const run = await python3([script, `${url}/stats/stream`, "flotilla.local", "3", "5"]);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r).toMatchObject({ status: 200, content_type: "text/event-stream" });
    expect(r.events.map((e: [number, string]) => e[1])).toEqual(['{"cpu":0,"ram":1}', '{"cpu":1,"ram":1}', '{"cpu":2,"ram":1}']);
    expect(r.events[2][0] - r.events[1][0]).toBeGreaterThan(0.4);
  });

  it("exit 1 when fewer events arrive within the time", async () => {
    const url = await stream([0]);
    const run = await python3([script, `${url}/stats/stream`, "flotilla.local", "3", "1"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).events).toHaveLength(1);
  });

  it("streamed: passes events that arrived apart, printing their times", async () => {
    expect(await python3([script, "streamed", result([0.01, 0.02, 1.02])])).toEqual({
      code: 0,
      stdout: "events at 0.01 s, 0.02 s, 1.02 s\n",
      stderr: "",
    });
  });

  it("streamed: exit 1 for events delivered together, a non-sample event, a wrong status", async () => {
    expect(await python3([script, "streamed", result([0.01, 2.0, 2.01])])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("events arrived together"),
    });
    const notSample = JSON.stringify({
      status: 200,
      content_type: "text/event-stream",
      events: [
        [0, "x"],
        [0.5, "x"],
        [1.5, "x"],
      ],
    });
    expect((await python3([script, "streamed", notSample])).code).toBe(1);
    expect((await python3([script, "streamed", result([0, 1, 2], { status: 502, content_type: "text/plain" })])).code).toBe(1);
    expect((await python3([script, "streamed", result([0, 1])])).code).toBe(1);
  });

  it("bad input: a result that is not sse.py's, other arguments", async () => {
    expect((await python3([script, "streamed", '{"error": "ConnectionRefusedError"}'])).code).toBe(2);
    expect((await python3([script, "streamed", "502 Bad Gateway"])).code).toBe(2);
    expect((await python3([script, "http://127.0.0.1:1/"])).code).toBe(1);
  });
});
