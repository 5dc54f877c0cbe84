import { describe, expect, it } from "vitest";
import { appendSample } from "./history.ts";

describe("appendSample", () => {
  it("keeps the newest values, oldest first, without mutating", () => {
    const before = [1, 2, 3];
    expect(appendSample(before, 4, 3)).toEqual([2, 3, 4]);
    expect(before).toEqual([1, 2, 3]);
    expect(appendSample([], 7)).toEqual([7]);
  });
});
