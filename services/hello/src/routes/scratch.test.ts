import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testApp } from "../../test/test-app.ts";

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex");

describe("/scratch", () => {
  it("stores any body under TMPDIR and returns it by its SHA-256 id", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "hello-scratch-"));
    const kit = await testApp({ TMPDIR: tmp });
    const posted = await kit.app.inject({
      method: "POST",
      url: "/scratch",
      payload: "some bytes",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toEqual({ id: sha256("some bytes"), bytes: 10 });
    expect(posted.headers.location).toBe(`/scratch/${sha256("some bytes")}`);

    const fetched = await kit.app.inject({ method: "GET", url: `/scratch/${sha256("some bytes")}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.headers["content-type"]).toBe("application/octet-stream");
    expect(fetched.body).toBe("some bytes");

    // JSON and text bodies are stored as bytes too.
    const json = await kit.app.inject({ method: "POST", url: "/scratch", payload: { a: 1 } });
    expect(json.json().id).toBe(sha256('{"a":1}'));
    await kit.close();
  });

  it("rejects empty and oversized bodies, malformed and unknown ids", async () => {
    const kit = await testApp({ SCRATCH_MAX_BYTES: "16" });
    const empty = await kit.app.inject({ method: "POST", url: "/scratch", payload: "", headers: { "content-type": "text/plain" } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatch(/empty/);

    const large = await kit.app.inject({
      method: "POST",
      url: "/scratch",
      payload: "x".repeat(17),
      headers: { "content-type": "text/plain" },
    });
    expect(large.statusCode).toBe(413);
    expect(large.json()).toEqual({ error: "request body too large" });

    const malformed = await kit.app.inject({ method: "GET", url: "/scratch/..%2f..%2fetc%2fpasswd" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatch(/64 lowercase hex/);

    const unknown = await kit.app.inject({ method: "GET", url: `/scratch/${"0".repeat(64)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatch(/no scratch data/);
    await kit.close();
  });

  it("documents what it answers: a non-empty body, and its errors as JSON", async () => {
    const kit = await testApp({});
    const doc = (await kit.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const post = doc.paths["/scratch"].post;
    // The empty body refused above is invalid by the document too.
    expect(post.requestBody.content["application/octet-stream"].schema).toMatchObject({ type: "string", minLength: 1 });
    const malformed = await kit.app.inject({ method: "GET", url: "/scratch/nothex" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers["content-type"]).toMatch(/^application\/json/);
    for (const op of [doc.paths["/scratch/{id}"].get, doc.paths["/scratch/{id}"].head]) {
      expect(Object.keys(op.responses["400"].content)).toEqual(["application/json"]);
      expect(Object.keys(op.responses["404"].content)).toEqual(["application/json"]);
    }
    await kit.close();
  });

  it("makes the service unready, and POST a 503, when TMPDIR is not writable", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "hello-ro-")), "not-a-dir");
    writeFileSync(file, "");
    const kit = await testApp({ TMPDIR: file });
    const ready = await kit.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().error).toMatch(/^not ready: tmpdir: /);
    const posted = await kit.app.inject({ method: "POST", url: "/scratch", payload: "x", headers: { "content-type": "text/plain" } });
    expect(posted.statusCode).toBeGreaterThanOrEqual(500);
    expect(posted.json()).toHaveProperty("error");
    await kit.close();
  });

  it("is ready when TMPDIR is writable", async () => {
    const kit = await testApp({});
    const ready = await kit.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toEqual({ status: "ready", checks: { tmpdir: "ok" } });
    await kit.close();
  });
});
