import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.ts";

describe("backoffDelay", () => {
  const opts = { baseMs: 1_000, maxMs: 15_000 };

  it("grows exponentially up to the cap", () => {
    const top = (attempt: number) => backoffDelay(attempt, { ...opts, random: () => 1 });
    expect([0, 1, 2, 3, 4, 10].map(top)).toEqual([1_000, 2_000, 4_000, 8_000, 15_000, 15_000]);
  });

  it("jitters but never drops below half the base delay", () => {
    expect(backoffDelay(5, { ...opts, random: () => 0 })).toBe(500);
    expect(backoffDelay(3, { ...opts, random: () => 0.5 })).toBe(4_000);
  });
});
