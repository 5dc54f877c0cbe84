// The baselines answer what they claim to: bare-hello.mjs hello's body, bare-hello-headers.mjs
// hello's very bytes (status line, every header in order, body), so a ratio to them compares
// the kit's work and nothing else. The request id and the date differ per response by nature.
import { once } from "node:events";
import { get } from "node:http";
import { SECURITY_HEADERS } from "@flotilla/service-kit";
import { freePort, type StartedService, startService } from "@flotilla/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { testApp } from "../services/hello/test/test-app.ts";

interface Raw {
  status: number;
  headers: string[];
  body: string;
}

function fetchRaw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // A keep-alive request, as wrk's: the server's answer to it is what the bench measures.
    const request = get({ host: "127.0.0.1", port, path: "/hello", agent: false, headers: { connection: "keep-alive" } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        request.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.rawHeaders, body });
      });
    });
    request.on("error", reject);
  });
}

/** Raw headers as `name: value` lines, with the values that change per response replaced by their shape. */
function normalised(raw: Raw): Raw {
  const lines: string[] = [];
  for (let i = 0; i < raw.headers.length; i += 2) {
    const [name, value] = [raw.headers[i] as string, raw.headers[i + 1] as string];
    if (name.toLowerCase() === "x-request-id") expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    if (name.toLowerCase() === "date") expect(Number.isNaN(Date.parse(value))).toBe(false);
    lines.push(`${name}: ${/^(x-request-id|date)$/i.test(name) ? "<varies>" : value}`);
  }
  return { ...raw, headers: lines };
}

const started: StartedService[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
});

/** Starts a fixture on a free port, ready once it answers; returns the port. */
async function fixture(name: string, env: Record<string, string> = {}): Promise<number> {
  const port = await freePort();
  started.push(
    await startService({
      args: [new URL(`fixtures/${name}`, import.meta.url).pathname],
      env: { ...env, PORT: String(port), HOST: "127.0.0.1" },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    }),
  );
  return port;
}

describe("the bench's baselines", () => {
  it("bare-hello-headers.mjs answers hello's bytes; bare-hello.mjs its status, body and content type", async () => {
    const hello = await testApp({});
    try {
      const address = await hello.app.listen({ port: 0, host: "127.0.0.1" });
      const expected = normalised(await fetchRaw(Number(new URL(address).port)));
      // hello's own headers are there to compare, and the keep-alive ones wrk's requests get
      expect(expected.headers).toEqual(expect.arrayContaining(["x-frame-options: DENY", "Connection: keep-alive"]));

      const same = normalised(
        await fetchRaw(await fixture("bare-hello-headers.mjs", { FIXTURE_HEADERS: JSON.stringify(SECURITY_HEADERS) })),
      );
      expect(same).toEqual(expected);

      const bare = normalised(await fetchRaw(await fixture("bare-hello.mjs")));
      expect({ status: bare.status, body: bare.body }).toEqual({ status: expected.status, body: expected.body });
      expect(bare.headers).toContain("content-type: text/plain; charset=utf-8");
      expect(expected.headers).toContain("content-type: text/plain; charset=utf-8");
    } finally {
      await hello.close();
    }
  });
});
