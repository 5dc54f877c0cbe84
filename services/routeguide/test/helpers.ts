import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@flotilla/service-kit";
import { buildApp, type RouteGuideApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";

export const SERVICE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `routeguide-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds the service in-process on loopback ephemeral gRPC ports (HTTP side via inject). */
export async function startApp(env: Record<string, string> = {}): Promise<RouteGuideApp & { cleanup: () => Promise<void> }> {
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
  const app = await buildApp(config);
  return Object.assign(app, {
    cleanup: async () => {
      await app.close();
      data.remove();
    },
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` stops throwing (or the time is up, then rethrows its last error). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The value of one Prometheus sample in /metrics text (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}

export async function scrape(app: RouteGuideApp): Promise<string> {
  const response = await app.app.inject({ method: "GET", url: "/metrics" });
  return response.body;
}

export interface ChildService {
  child: ChildProcess;
  output: () => string;
  /** Resolves once a log line contains `text`. */
  waitFor: (text: string, timeoutMs?: number) => Promise<void>;
  exited: Promise<number | null>;
}

/** Runs `node src/main.ts` with the given environment (a real separate process). */
export function spawnService(env: Record<string, string>): ChildService {
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: SERVICE_DIR,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (text, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for "${text}"; output so far:\n${output}`));
        }, timeoutMs);
        const check = () => {
          if (output.includes(text)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (!output.includes(text)) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`process exited before "${text}"; output:\n${output}`));
          }
        });
      }),
  };
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
