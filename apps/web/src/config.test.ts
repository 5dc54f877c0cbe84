import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_CONFIG, loadConfig, parseConfig } from "./config.ts";

describe("parseConfig", () => {
  it("falls back to same-origin defaults", () => {
    expect(parseConfig({})).toEqual(DEFAULT_CONFIG);
    expect(parseConfig(null)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig({ statsUrl: "  " })).toEqual(DEFAULT_CONFIG);
  });

  it("takes what the environment rendered", () => {
    expect(parseConfig({ statsUrl: "/api/stats", streamUrl: "/api/stats/stream", helloUrl: "" })).toEqual({
      statsUrl: "/api/stats",
      streamUrl: "/api/stats/stream",
      helloUrl: null,
    });
  });
});

describe("loadConfig over HTTP", () => {
  let server: Server;
  let origin = "";

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/config.json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"statsUrl":"/x/stats","streamUrl":"/x/stream","helloUrl":"/x/hello/"}');
      } else if (req.url === "/broken.json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("<html>");
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reads the served file", async () => {
    expect(await loadConfig(`${origin}/config.json`)).toEqual({
      statsUrl: "/x/stats",
      streamUrl: "/x/stream",
      helloUrl: "/x/hello/",
    });
  });

  it.each(["/missing.json", "/broken.json"])("starts on defaults when %s fails", async (path) => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await loadConfig(`${origin}${path}`)).toEqual(DEFAULT_CONFIG);
    expect(warn).toHaveBeenCalledOnce();
  });
});
