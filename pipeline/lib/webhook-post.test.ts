import { createServer, type Server } from "node:http";
import { freePort } from "@flotilla/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { python3 } from "./test-helpers.ts";

const script = new URL("webhook-post.py", import.meta.url).pathname;
let server: Server | undefined;
afterEach(() => server?.close());
/** A stand-in webhook on loopback answering STATUS; records each request. */
async function webhook(status: number): Promise<{ url: string; got: { type?: string; body: string }[] }> {
  const got: { type?: string; body: string }[] = [];
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      got.push({ type: req.headers["content-type"], body });
      res.writeHead(status).end("ok");
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/hook`, got };
}

describe("pipeline/lib/webhook-post.py", () => {
  it("posts {text} as JSON, exit 0 when accepted", async () => {
    const hook = await webhook(200);
    expect(await python3([script, hook.url, "flotilla: pipeline x #7 ended: FAILURE"])).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(hook.got).toEqual([{ type: "application/json", body: '{"text": "flotilla: pipeline x #7 ended: FAILURE"}' }]);
  });

  it("exit 1 with the reason when the webhook refuses or nothing answers", async () => {
    const hook = await webhook(403);
    expect(await python3([script, hook.url, "x"])).toMatchObject({ code: 1, stderr: expect.stringContaining("HTTP Error 403") });
    expect(await python3([script, `http://127.0.0.1:${await freePort()}/hook`, "x"])).toMatchObject({ code: 1 });
    expect(await python3([script, "not a url", "x"])).toMatchObject({ code: 1 });
  });

  it("other arguments: exit 2", async () => {
    expect((await python3([script, "http://127.0.0.1:1/"])).code).toBe(2);
  });
});
