// Test helpers: build the app on given env, wait for readiness, read SSE over a real socket.
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig, type Service } from "@flotilla/service-kit";
import { waitFor } from "@flotilla/test-support";
import { buildApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";

const silent = { write: () => {} };

/** The service built in-process, with the two ways it stops. */
export interface Running {
  app: Service;
  close(): Promise<void>;
  shutdown(): Promise<void>;
}

export async function startApp(env: Record<string, string>): Promise<Running> {
  const app = await buildApp(loadConfig(configSchema, { HOST: "127.0.0.1", PORT: "8080", ...env }), { logDestination: silent });
  return { app, close: () => app.close(), shutdown: () => app.shutdown() };
}

export async function waitReady(kit: Running): Promise<void> {
  await waitFor(async () => ((await kit.app.inject("/readyz")).statusCode === 200 ? true : undefined));
}

/** Listens on a free loopback port and returns the base URL. */
export async function listenLocal(kit: Running): Promise<string> {
  await kit.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = kit.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export interface OpenStream {
  response: IncomingMessage;
  /** Everything received so far. */
  text(): string;
  /** Waits until the received text matches. */
  until(pattern: RegExp): Promise<string>;
  close(): void;
  ended: Promise<void>;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (response) => {
      let received = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        received += chunk;
      });
      const ended = new Promise<void>((done) => response.once("close", () => done()));
      resolve({
        response,
        text: () => received,
        until: (pattern) => waitFor(() => (pattern.test(received) ? received : undefined), { intervalMs: 25 }),
        close: () => req.destroy(),
        ended,
      });
    });
    req.on("error", reject);
    req.end();
  });
}

export async function metricValue(kit: Running, name: string): Promise<number> {
  const text = (await kit.app.inject("/metrics")).body;
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  if (!line) throw new Error(`metric ${name} not found`);
  return Number(line.split(" ").at(-1));
}
