import { createServer, type Server } from "node:http";
import { freePort } from "@flotilla/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { python3, scratchDir } from "./test-helpers.ts";

const script = new URL("smoke-ingress.py", import.meta.url).pathname;
const { file } = scratchDir("smoke-ingress");

let server: Server | undefined;
afterEach(() => server?.close());
/** A stand-in Ingress on loopback: ROUTES maps a path to its body (200), anything else 404; records Host headers. */
async function ingress(routes: Record<string, string>): Promise<{ url: string; hosts: string[] }> {
  const hosts: string[] = [];
  server = createServer((req, res) => {
    hosts.push(String(req.headers.host));
    const body = routes[String(req.url)];
    res.writeHead(body === undefined ? 404 : 200).end(body ?? "404 page not found");
  });
  const port = await freePort(); // below the ephemeral range, as docs/ci.md asks
  await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}/`, hosts };
}

const service = (path: string, expectBody: string, paths: object[]) => ({
  enabled: true,
  test: { enabled: true, path, expectBody },
  ingress: { enabled: true, paths },
});
const values = {
  ingress: { host: "flotilla.local" },
  services: {
    hello: service("/hello", "Hello", [{ path: "/hello", pathType: "Exact" }]),
    stats: service("/stats/healthz", "ok", [{ path: "/stats", pathType: "Prefix" }]),
    store: { ...service("/healthz", "ok", []), ingress: { enabled: false } }, // not routed: not checked
    web: { ...service("/", "<html", [{ path: "/", pathType: "Prefix" }]), enabled: false },
  },
};

describe("pipeline/lib/smoke-ingress.py", () => {
  it("checks each routed, tested service through the Ingress with the values' host", async () => {
    const stub = await ingress({ "/hello": '{"message":"Hello"}', "/stats/healthz": "ok" });
    const run = await python3([script, file("values.json", values), stub.url]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "smoke: hello: GET /hello (Host flotilla.local) -> 200\nsmoke: stats: GET /stats/healthz (Host flotilla.local) -> 200\n",
    );
    expect(stub.hosts).toEqual(["flotilla.local", "flotilla.local"]);
  });

  it("a HOST argument replaces the values' host", async () => {
    const stub = await ingress({ "/hello": "Hello", "/stats/healthz": "ok" });
    expect(await python3([script, file("values.json", values), stub.url, "other.example"])).toMatchObject({ code: 0 });
    expect(stub.hosts).toEqual(["other.example", "other.example"]);
  });

  it("exit 1 on a wrong body or status, and when nothing is both tested and routed", async () => {
    const stub = await ingress({ "/hello": "Goodbye" });
    const run = await python3([script, file("values.json", values), stub.url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("hello: GET /hello (Host flotilla.local) -> 200 FAILED: Goodbye");
    expect(run.stderr).toContain("stats: GET /stats/healthz (Host flotilla.local) -> 404 FAILED");
    const none = { ...values, services: { store: values.services.store } };
    expect(await python3([script, file("none.json", none), stub.url])).toMatchObject({
      code: 1,
      stderr: "smoke: no service is both tested and routed by the Ingress\n",
    });
  });

  it("bad input: values that are not the release's, other arguments: exit 2", async () => {
    expect(await python3([script, file("bad.json", "Error: release: not found"), "http://127.0.0.1:1"])).toMatchObject({ code: 2 });
    expect((await python3([script, file("v.json", { services: {} }), "http://127.0.0.1:1"])).code).toBe(2);
    expect((await python3([script, file("v.json", values)])).code).toBe(2);
  });
});
