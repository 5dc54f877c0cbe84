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
