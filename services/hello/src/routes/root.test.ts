import { describe, expect, it } from "vitest";
import { testApp } from "../../test/test-app.ts";
import { wantsJson } from "./root.ts";

describe("GET /", () => {
  it("serves HTML with the messages and served-by details, escaped, under a strict CSP", async () => {
    const kit = await testApp({ MESSAGES: "Hello|<b>bold</b>", POD_NAME: "hello-abc", POD_NAMESPACE: "flotilla", NODE_NAME: "node-1" });
    const res = await kit.app.inject({ method: "GET", url: "/", headers: { accept: "text/html,*/*;q=0.8" } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers.vary).toBe("Accept");
    expect(res.body).toContain("<li>Hello</li>");
    expect(res.body).toContain("<li>&#60;b&#62;bold&#60;/b&#62;</li>");
    expect(res.body).toContain("<dt>Pod</dt><dd>hello-abc</dd>");
    expect(res.body).toContain("<dt>Namespace</dt><dd>flotilla</dd>");
    expect(res.body).not.toContain("<dt>Image</dt>");
    expect(res.headers["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    await kit.close();
  });

  it("serves JSON for Accept: application/json, omitting absent downward-API values", async () => {
    const kit = await testApp({ MESSAGES: "one|two", CONTAINER_IMAGE: "flotilla/hello:1.0" });
    const res = await kit.app.inject({ method: "GET", url: "/", headers: { accept: "application/json" } });
    expect(res.headers["content-type"]).toContain("application/json");
    const body = res.json();
    expect(body.messages).toEqual(["one", "two"]);
    expect(body.servedBy).toMatchObject({ image: "flotilla/hello:1.0", version: "0.1.0" });
    expect(typeof body.servedBy.hostname).toBe("string");
    expect(body.servedBy).not.toHaveProperty("pod");
    await kit.close();
  });

  it("uses the default message when MESSAGES is unset", async () => {
    const kit = await testApp({});
    const res = await kit.app.inject({ method: "GET", url: "/", headers: { accept: "application/json" } });
    expect(res.json().messages).toEqual(["Hello from Flotilla!"]);
    await kit.close();
  });
});

describe("wantsJson", () => {
  it.each([
    [undefined, false],
    ["*/*", false],
    ["application/json", true],
    ["text/html,application/json", true],
    ["text/html,application/json;q=0.5", false],
    ["application/json;q=0", false],
  ])("%s -> %s", (accept, expected) => {
    expect(wantsJson(accept)).toBe(expected);
  });
});
