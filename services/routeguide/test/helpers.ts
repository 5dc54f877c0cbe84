import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@flotilla/service-kit";
import { type StartedService, startService } from "@flotilla/test-support";
import type { DestinationStream } from "pino";
import { buildApp, type RouteGuideApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";

export const SERVICE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `routeguide-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds the service in-process on loopback ephemeral gRPC ports (HTTP side via inject). */
export async function startApp(
  env: Record<string, string> = {},
  options: { logDestination?: DestinationStream } = {},
): Promise<RouteGuideApp & { cleanup: () => Promise<void> }> {
  const data = tempDir("data");
  const config = loadConfig(configSchema, {
    HOST: "127.0.0.1",
    GRPC_PORT: "0",
    BACKEND_PORT: "0",
    DATA_DIR: data.dir,
    LOG_LEVEL: "silent",
    SHUTDOWN_GRACE_MS: "2000",
    ...env,
  });
  const app = await buildApp(config, options);
  return Object.assign(app, {
    cleanup: async () => {
      await app.close();
      data.remove();
    },
  });
}

/** For vi.waitFor, which retries until its callback stops throwing (its default gives up after 1 s). */
export const WAIT = { timeout: 10_000, interval: 50 };

/** The value of one Prometheus sample in /metrics text (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

export async function scrape(app: RouteGuideApp): Promise<string> {
  const response = await app.inject({ method: "GET", url: "/metrics" });
  return response.body;
}

/** Runs `node src/main.ts` as a real separate process on its embedded defaults plus `env`, until `readyLine` is logged. */
export function startProcess(env: Record<string, string>, readyLine = '"msg":"routeguide listening"'): Promise<StartedService> {
  return startService({ args: ["src/main.ts"], cwd: SERVICE_DIR, cleanEnv: true, env: { HOST: "127.0.0.1", ...env }, readyLine });
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1/localhost, plus a client certificate
 * (for mutual TLS) and a second, unrelated CA, made with the openssl CLI.
 */
export function makeCertificates(dir: string) {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const makeCa = (name: string) => {
    ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
    );
  };
  const makeLeaf = (name: string, ca: string, ext: string) => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.csr`);
    ssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.pem`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-days",
      "1",
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.pem`,
    );
  };
  makeCa("ca");
  makeCa("other-ca");
  makeLeaf("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  makeLeaf("client", "ca", "extendedKeyUsage=clientAuth\n");
  const file = (name: string) => join(dir, name);
  return {
    ca: file("ca.pem"),
    otherCa: file("other-ca.pem"),
    serverCert: file("server.pem"),
    serverKey: file("server.key"),
    clientCert: file("client.pem"),
    clientKey: file("client.key"),
  };
}
