import { describe, expect, it } from "vitest";
import { parseHello } from "./hello.ts";

describe("parseHello", () => {
  it("reads messages and servedBy", () => {
    expect(parseHello({ messages: ["a", 1, "b"], servedBy: { pod: "p", port: 8090, x: { y: 1 } } })).toEqual({
      messages: ["a", "b"],
      servedBy: [
        ["pod", "p"],
        ["port", "8090"],
      ],
    });
  });

  it("rejects a body without messages", () => {
    expect(parseHello({ message: "hi" })).toBeNull();
    expect(parseHello("<html>")).toBeNull();
  });
});
