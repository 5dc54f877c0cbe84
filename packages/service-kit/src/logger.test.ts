import { spawn } from "node:child_process";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isoTime } from "./logger.ts";

afterEach(() => vi.useRealTimers());

describe("isoTime", () => {
  it("writes what pino's isoTime writes, and follows the clock from one millisecond to the next", () => {
    vi.useFakeTimers({ now: new Date("2026-11-30T10:00:00.123Z"), toFake: ["Date"] });
    expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
    expect(isoTime()).toBe(',"time":"2026-11-30T10:00:00.123Z"');
    vi.setSystemTime(new Date("2026-11-30T10:00:00.124Z"));
    expect(isoTime()).toBe(',"time":"2026-11-30T10:00:00.124Z"');
    expect(isoTime()).toBe(pino.stdTimeFunctions.isoTime());
  });
});

/** Runs `script` in a Node process that has `createLogger` (stdout destination) and collects its stdout. */
function loggingProcess(script: string) {
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", `import { createLogger } from ${JSON.stringify(loggerModule)};\n${script}`],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const lines = () =>
    out
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, lines, exited };
}
const loggerModule = new URL("./logger.ts", import.meta.url).href;

describe("the stdout destination", () => {
  it("writes a quiet service's line within the flush interval, without waiting for a full batch", async () => {
    const run = loggingProcess(`createLogger("t", "info").info({ city: "Zürich" }, "first"); setTimeout(() => {}, 20_000);`);
    try {
      await vi.waitFor(() => expect(run.lines()).toHaveLength(1), { timeout: 5_000, interval: 50 });
      expect(run.lines()[0]).toMatchObject({ service: "t", city: "Zürich", msg: "first" });
    } finally {
      run.child.kill();
    }
  });

  it("has written the pending lines when logger.flush() calls back (as before exiting on a fatal error)", async () => {
    const run = loggingProcess(
      `const log = createLogger("t", "info"); log.info("pending"); log.flush(() => { process.stdout.write('{"flushed":true}\\n'); setTimeout(() => {}, 20_000); });`,
    );
    try {
      await vi.waitFor(() => expect(run.lines()).toHaveLength(2), { timeout: 5_000, interval: 50 });
      expect(run.lines()).toMatchObject([{ msg: "pending" }, { flushed: true }]);
    } finally {
      run.child.kill();
    }
  });

  it("writes every line of a batch at exit, multi-byte characters whole", async () => {
    const run = loggingProcess(
      `const log = createLogger("t", "info"); for (let i = 0; i < 100; i++) log.info({ i, s: "é€😀".repeat(i % 7) }, "line"); process.exit(0);`,
    );
    expect(await run.exited).toBe(0);
    const lines = run.lines();
    expect(lines.map((l) => l.i)).toEqual([...Array(100).keys()]);
    expect(lines[13]).toMatchObject({ s: "é€😀".repeat(6) });
  });
});
