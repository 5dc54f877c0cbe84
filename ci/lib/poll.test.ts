import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { freePort } from "@flotilla/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { python3, python3Background } from "./python.ts";
import { scratch } from "./scratch.ts";
import { closeStandIns, standIn } from "./stand-in.ts";

const script = new URL("poll.py", import.meta.url).pathname;
const poll = (...args: string[]) => python3([script, ...args]);
const tmp = scratch("poll-test");

afterEach(closeStandIns);

/** A stand-in for hello: each request answered by ANSWER(n), n counting from 1. */
async function hello(answer: (n: number) => { status: number; body: string }): Promise<string> {
  let n = 0;
  const base = await standIn((_req, res) => {
    const { status, body } = answer(++n);
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  return `${base}/`;
}
const page = (message: string, pod: string, image: string) => ({
  status: 200,
  body: JSON.stringify({ messages: [message], servedBy: { pod, image } }),
});

/** Waits until LOG holds N records (the client starts slowly on a busy machine). */
async function recorded(log: string, n: number): Promise<void> {
  const lines = () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0);
  for (let i = 0; i < 200 && lines() < n; i++) await new Promise((r) => setTimeout(r, 50));
}

function record(lines: object[]): string {
  return tmp.write("poll.jsonl", lines.map((l) => JSON.stringify(l)).join("\n"));
}

describe("ci/lib/poll.py", () => {
  it("run until SIGTERM records every answer; summary counts images, first messages and pods", async () => {
    const url = await hello((n) => page(n % 2 ? "one" : "two", `pod-${n % 3}`, n % 2 ? "hello:v1" : "hello:v2"));
    const log = tmp.path("poll.jsonl");
    const client = python3Background([script, "run", url, log, "--interval", "0.02"]);
    await recorded(log, 5);
    const ran = await client.stop();
    expect(ran.code).toBe(0);
    const total = readFileSync(log, "utf8").trim().split("\n").length;
    expect(total).toBeGreaterThan(3);
    expect(ran.stdout).toBe(`poll: ${total} requests, 0 failed\n`);
    const s = JSON.parse((await poll("summary", log)).stdout);
    expect(s).toMatchObject({ total, failed: 0, errors: [], pods: 3 });
    expect(Object.keys(s.images).sort()).toEqual(["hello:v1", "hello:v2"]);
    expect(s.messages.one + s.messages.two).toBe(total);
  });

  it("run until the stop file: an answer other than 200, a body that is not JSON and no server all count as failed", async () => {
    const url = await hello((n) =>
      n === 2 ? { status: 503, body: "{}" } : n === 3 ? { status: 200, body: "<html>" } : page("m", "p", "i"),
    );
    const stop = tmp.path("stop");
    const client = python3Background([script, "run", url, tmp.path("a.jsonl"), "--interval", "0.02", "--stop-file", stop]);
    await recorded(tmp.path("a.jsonl"), 5);
    writeFileSync(stop, "");
    const ran = await client.done;
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^poll: \d+ requests, 2 failed\n$/);
    expect(ran.stderr).toContain("HTTP Error 503");
    expect(ran.stderr).toContain("JSONDecodeError");
    const s = JSON.parse((await poll("summary", tmp.path("a.jsonl"))).stdout);
    expect(s.failed).toBe(2);

    const closed = `http://127.0.0.1:${await freePort()}/`;
    const refused = await poll("run", closed, tmp.path("b.jsonl"), "--interval", "0.05", "--max-seconds", "0.3");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^poll: (\d+) requests, \1 failed\n$/);
    expect(refused.stderr).toContain("Connection refused");
  });

  it("first: the epoch of the first answer with a message since a time; exit 1 when none", async () => {
    const log = record([
      { t: 10, status: 200, messages: ["new"] },
      { t: 20, status: 0, error: "refused" },
      { t: 30, status: 200, messages: ["old", "new"] },
    ]);
    expect(await poll("first", log, "new")).toMatchObject({ code: 0, stdout: "10.000\n" });
    expect(await poll("first", log, "new", "15")).toMatchObject({ code: 0, stdout: "30.000\n" });
    expect(await poll("first", log, "newer")).toMatchObject({ code: 1, stderr: "no answer with 'newer' since 0.0\n" });
  });

  it("window: every request answered, with --expect and without --never; exit 1 naming what broke", async () => {
    const log = record([
      { t: 10, status: 200, messages: ["a"], pod: "p1" },
      { t: 20, status: 200, messages: ["a", "b"], pod: "p2" },
      { t: 30, status: 502, error: "HTTP Error 502" },
    ]);
    const ok = await poll("window", log, "5", "25", "--expect", "a", "--never", "c");
    expect(ok).toMatchObject({ code: 0, stdout: "2 requests over 20 s: 2 answered 200, 0 failed; served by p1, p2\n" });
    expect(await poll("window", log, "5", "35")).toMatchObject({ code: 1, stderr: "1 failed, 0 without None, 0 with None\n" });
    expect(await poll("window", log, "5", "25", "--expect", "b")).toMatchObject({
      code: 1,
      stderr: "0 failed, 1 without 'b', 0 with None\n",
    });
    expect(await poll("window", log, "5", "25", "--never", "b")).toMatchObject({
      code: 1,
      stderr: "0 failed, 0 without None, 1 with 'b'\n",
    });
    expect(await poll("window", log, "40", "50")).toMatchObject({ code: 1, stderr: "no request in that window: is the client running?\n" });
  });

  it("bad arguments: usage, exit 2", async () => {
    for (const args of [[], ["run", "http://x/"], ["summary"], ["sample", "x"]]) {
      const run = await poll(...args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("usage: poll.py run URL LOG");
    }
  });
});
