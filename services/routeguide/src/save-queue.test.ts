import { describe, expect, it } from "vitest";
import { SaveQueue, type SaveQueueOptions } from "./save-queue.ts";

type Log = string[];

function queue(log: Log, overrides: Partial<SaveQueueOptions<string>> = {}) {
  return new SaveQueue<string>({
    capacity: 10,
    concurrency: 1,
    maxAttempts: 3,
    baseBackoffMs: 1,
    maxBackoffMs: 4,
    save: async () => {},
    retryable: (error) => (error as Error).message === "transient",
    events: {
      saved: (item, attempts) => log.push(`saved ${item} after ${attempts}`),
      retry: (item, attempt) => log.push(`retry ${item} ${attempt}`),
      failed: (item, attempts) => log.push(`failed ${item} after ${attempts}`),
      dropped: (item, reason) => log.push(`dropped ${item} ${reason}`),
    },
    ...overrides,
  });
}

describe("SaveQueue", () => {
  it("retries transient errors with backoff, then succeeds", async () => {
    const log: Log = [];
    let calls = 0;
    const q = queue(log, {
      save: async () => {
        if (++calls < 3) throw new Error("transient");
      },
    });
    q.offer("a");
    await q.close(1_000);
    expect(log).toEqual(["retry a 1", "retry a 2", "saved a after 3"]);
  });

  it("gives up after maxAttempts, and at once on a non-retryable error", async () => {
    const log: Log = [];
    const q = queue(log, {
      save: async (item) => {
        throw new Error(item === "bad" ? "invalid" : "transient");
      },
    });
    q.offer("bad");
    q.offer("down");
    await q.close(1_000);
    expect(log).toEqual(["failed bad after 1", "retry down 1", "retry down 2", "failed down after 3"]);
  });

  it("drops when full instead of waiting, and refuses after close", async () => {
    const log: Log = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const q = queue(log, { capacity: 2, save: () => gate });
    expect([q.offer("1"), q.offer("2"), q.offer("3"), q.offer("4")]).toEqual([true, true, true, false]);
    expect(q.active).toBe(1);
    expect(q.waiting).toBe(2);
    release();
    await q.close(1_000);
    expect(q.offer("5")).toBe(false);
    expect(log).toEqual(["dropped 4 queue_full", "saved 1 after 1", "saved 2 after 1", "saved 3 after 1", "dropped 5 shutdown"]);
  });

  it("on close past the grace: cancels in-flight saves, drops waiting items, stops retrying", async () => {
    const log: Log = [];
    const q = queue(log, {
      save: (_item, signal) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("transient")))),
    });
    q.offer("stuck");
    q.offer("waiting");
    await q.close(50);
    expect(log).toEqual(["dropped waiting shutdown", "failed stuck after 1"]);
  });

  it("backoff is full jitter under an exponential ceiling", () => {
    const q = new SaveQueue<string>({
      capacity: 1,
      concurrency: 1,
      maxAttempts: 1,
      baseBackoffMs: 100,
      maxBackoffMs: 1_000,
      save: async () => {},
      retryable: () => true,
      random: () => 1,
    });
    expect([1, 2, 3, 4, 5, 6].map((attempt) => q.backoffMs(attempt))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });
});
