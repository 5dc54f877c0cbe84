import { describe, expect, it } from "vitest";
import { testApp } from "../../test/test-app.ts";

describe("GET /hello", () => {
  it("answers exactly hello and a newline, as text", async () => {
    const kit = await testApp({});
    const res = await kit.app.inject({ method: "GET", url: "/hello" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("hello\n");
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect((await kit.app.inject({ method: "POST", url: "/hello" })).statusCode).toBe(405);
    await kit.close();
  });
});
