import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

function collect() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger("test", "info", destination as never), lines };
}

describe("log redaction", () => {
  it("blanks secrets at the top level and one level down, in lines and in child bindings", () => {
    const { log, lines } = collect();
    log.info({ password: "p1", token: "t1", body: { user: "ann", password: "p2", passwordHash: "h", secret: "s" } }, "top and nested");
    log.info({ req: { headers: { authorization: "Bearer abc", cookie: "c=1", "set-cookie": "d=2", accept: "*/*" } } }, "headers");
    log.child({ user: { name: "bob", token: "t2" } }).info("bound");
    expect(lines[0]).toMatchObject({
      password: "[redacted]",
      token: "[redacted]",
      body: { user: "ann", password: "[redacted]", passwordHash: "[redacted]", secret: "[redacted]" },
    });
    expect(lines[1]?.req).toEqual({
      headers: { authorization: "[redacted]", cookie: "[redacted]", "set-cookie": "[redacted]", accept: "*/*" },
    });
    expect(lines[2]?.user).toEqual({ name: "bob", token: "[redacted]" });
    expect(JSON.stringify(lines)).not.toMatch(/p1|p2|t1|t2|abc|c=1|d=2|"h"|"s"/);
  });

  it("redacts the serialised error and keeps its type, message and stack", () => {
    const { log, lines } = collect();
    const error = Object.assign(new TypeError("upstream refused"), { headers: { authorization: "Bearer xyz" }, password: "pw" });
    log.error({ err: error }, "failed");
    const err = lines[0]?.err as Record<string, unknown>;
    expect(err).toMatchObject({
      type: "TypeError",
      message: "upstream refused",
      headers: { authorization: "[redacted]" },
      password: "[redacted]",
    });
    expect(String(err.stack)).toContain("upstream refused");
  });

  it("leaves the logged objects themselves untouched, and plain fields as they are (negative control)", () => {
    const { log, lines } = collect();
    const body = { user: "ann", password: "p" };
    log.info({ body, method: "GET", status: 200, note: "password" }, "password");
    expect(body.password).toBe("p");
    expect(lines[0]).toMatchObject({ method: "GET", status: 200, note: "password", msg: "password", body: { user: "ann" } });
  });
});
