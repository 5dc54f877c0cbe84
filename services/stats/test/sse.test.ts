import { describe, expect, it } from "vitest";
import { formatEvent } from "../src/sse.ts";

describe("formatEvent", () => {
  it("frames id, event and data, ending with a blank line", () => {
    expect(formatEvent({ id: 3, event: "stats", data: '{"a":1}' })).toBe('id: 3\nevent: stats\ndata: {"a":1}\n\n');
  });

  it("splits multi-line data into data lines (any line ending)", () => {
    expect(formatEvent({ data: "a\nb\r\nc\rd" })).toBe("data: a\ndata: b\ndata: c\ndata: d\n\n");
  });
});
