import { describe, expect, it } from "vitest";
import { testApp } from "../../test/test-app.ts";
import { canonicalHeaderName } from "./headers.ts";

describe("GET /headers", () => {
  it("lists each header as `Name: value` with Go's canonical names and without Host", async () => {
    const kit = await testApp({});
    const res = await kit.app.inject({
      method: "GET",
      url: "/headers",
      headers: { "user-agent": "curl/8.0", accept: "*/*", "x-custom-thing": "a b" },
    });
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const lines = res.body.trimEnd().split("\n");
    expect(lines).toContain("User-Agent: curl/8.0");
    expect(lines).toContain("Accept: */*");
    expect(lines).toContain("X-Custom-Thing: a b");
    expect(lines.some((l) => l.startsWith("Host:"))).toBe(false);
    await kit.close();
  });

  it("canonicalises names like Go's net/http", () => {
    expect(canonicalHeaderName("x-request-id")).toBe("X-Request-Id");
    expect(canonicalHeaderName("ACCEPT-ENCODING")).toBe("Accept-Encoding");
  });
});
