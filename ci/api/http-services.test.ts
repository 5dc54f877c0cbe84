import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";

const script = new URL("http-services.py", import.meta.url).pathname;

describe("ci/api/http-services.py", () => {
  it("lists the members with an OpenAPI document, and only them", async () => {
    const registry = [
      { name: "hello", dir: "services/hello", openapi: "docs/api/hello.json" },
      { name: "web", dir: "apps/web" },
    ];
    expect(await python3([script], JSON.stringify(registry))).toEqual({ code: 0, stdout: "hello services/hello\n", stderr: "" });
  });
});
