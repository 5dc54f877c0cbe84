import { createServer } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { freePort, startService, waitFor } from "./index.ts";

describe("freePort", () => {
  it("gives a port that can be bound, below the ephemeral range", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(20000);
    expect(port).toBeLessThan(30000);
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    server.close();
  });

  it("skips a port that is in use", async () => {
    const [busy, free] = [await freePort(), await freePort()];
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(busy, "127.0.0.1", resolve));
    const draws = [busy, free].map((port) => (port - 20000 + 0.5) / 10000);
    const random = vi.spyOn(Math, "random").mockImplementation(() => draws.shift() ?? 0);
    try {
      expect(await freePort()).toBe(free);
    } finally {
      random.mockRestore();
      server.close();
    }
  });
});

describe("waitFor", () => {
  it("resolves with the first defined value, retrying through errors", async () => {
    let calls = 0;
    const value = await waitFor(() => {
      calls++;
      if (calls < 3) throw new Error("not yet");
      return calls === 3 ? undefined : "done";
    });
    expect(value).toBe("done");
    expect(calls).toBe(4);
  });

  it("times out naming what it waited for and the last error", async () => {
    await expect(
      waitFor(
        () => {
          throw new Error("refused");
        },
        { timeoutMs: 100, what: "the answer" },
      ),
    ).rejects.toThrow(/the answer not met within 100 ms: refused/);
  });
});

describe("startService", () => {
  it("waits for a line of output, then stops the process with a signal", async () => {
    const service = await startService({
      args: ["-e", 'process.on("SIGTERM", () => process.exit(3)); console.log("up"); setInterval(() => {}, 1000)'],
      readyLine: "up",
    });
    expect(service.startMs).toBeGreaterThan(0);
    expect(await service.stop()).toBe(3);
  });

  it("rejects with the output when the process exits before it is ready", async () => {
    await expect(startService({ args: ["-e", 'console.error("bad config"); process.exit(78)'], readyLine: "listening" })).rejects.toThrow(
      /exited \(78\)[\s\S]*bad config/,
    );
  });
});
