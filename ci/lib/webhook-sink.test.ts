import { readFileSync } from "node:fs";
import { freePort } from "@flotilla/test-support";
import { describe, expect, it } from "vitest";
import { python3, python3Background } from "./python.ts";
import { scratch } from "./scratch.ts";

const script = new URL("webhook-sink.py", import.meta.url).pathname;
const tmp = scratch("sink-test");
const records = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

/** The sink's port: the first line it prints. */
async function portOf(sink: { stdout: () => string }): Promise<number> {
  for (let i = 0; i < 200 && !sink.stdout().includes("\n"); i++) await new Promise((r) => setTimeout(r, 50));
  return Number(sink.stdout().split("\n")[0]);
}
const post = (port: number, path: string, body: string) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });

function start(...args: string[]) {
  let out = "";
  const sink = python3Background([script, ...args], (d) => (out += d));
  return { ...sink, stdout: () => out };
}

describe("ci/lib/webhook-sink.py", () => {
  it("records every POST as a line {path, body} on the port given, until stopped", async () => {
    const file = tmp.path("alerts.jsonl");
    const port = await freePort();
    const sink = start(file, "--port", String(port));
    expect(await portOf(sink)).toBe(port);
    expect((await post(port, "/pager", '{"status": "firing"}')).status).toBe(200);
    expect((await post(port, "/default", "")).status).toBe(200);
    await sink.stop();
    expect(records(file)).toEqual([
      { path: "/pager", body: { status: "firing" } },
      { path: "/default", body: {} },
    ]);
  });

  it("--once without --port: picks a port of 20000-29999, takes one POST and exits 0", async () => {
    const file = tmp.path("notified.jsonl");
    const sink = start(file, "--once");
    const port = await portOf(sink);
    expect(port >= 20000 && port < 30000).toBe(true);
    expect((await post(port, "/hook", '{"text": "ended"}')).status).toBe(200);
    expect((await sink.done).code).toBe(0);
    expect(records(file)).toEqual([{ path: "/hook", body: { text: "ended" } }]);
  });

  it("a body that is not JSON gets 400 with an error and is not recorded; --once then exits 1", async () => {
    const file = tmp.path("bad.jsonl");
    const sink = start(file, "--once");
    const res = await post(await portOf(sink), "/hook", "not json");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "the body is not JSON" });
    expect((await sink.done).code).toBe(1);
  });

  it("bad arguments: usage, exit 2", async () => {
    for (const args of [[], ["f", "--port", "x"], ["f", "--nope"]]) {
      const run = await python3([script, ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("usage: webhook-sink.py FILE [--port N] [--once]");
    }
  });
});
