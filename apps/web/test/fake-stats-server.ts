// A real HTTP server speaking the stats and hello contracts (services/stats/README.md), so the
// dashboard's tests exercise real HTTP, real SSE and real reconnects without the services.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface FakeStatsServerOptions {
  /** Milliseconds between stream events. */
  intervalMs?: number;
  /** When false, /stats/stream answers 404 like a proxy that does not route it. */
  stream?: boolean;
  hello?: unknown;
}

export function sampleAt(seq: number, intervalMs: number): Record<string, unknown> {
  return {
    ram: 40 + (seq % 10),
    cpu: 10 + ((seq * 7) % 50),
    cpuCount: 2,
    loadAverage: [0.5, 0.25, 0.125],
    uptimeSeconds: 3_725,
    memory: {
      source: "cgroup-v2",
      totalBytes: 536_870_912,
      availableBytes: 322_122_547,
      usedBytes: 214_748_365,
      hostTotalBytes: 25_275_863_040,
      hostAvailableBytes: 24_751_546_368,
    },
    cgroup: {
      version: 2,
      path: "/flotilla/stats",
      memory: { maxBytes: 536_870_912, currentBytes: 230_000_000, workingSetBytes: 214_748_365 },
      cpu: { quotaMicros: 50_000, periodMicros: 100_000, limitCores: 0.5, usageSeconds: 12.5, usagePercent: 33.3 },
    },
    sampledAt: new Date(Date.UTC(2026, 10, 22, 21, 0, seq)).toISOString(),
    intervalMs,
    seq,
  };
}

export class FakeStatsServer {
  readonly #options: Required<FakeStatsServerOptions>;
  #server: Server | null = null;
  #sockets = new Set<Socket>();
  #timers = new Set<ReturnType<typeof setInterval>>();
  #seq = 0;
  port = 0;
  streamsOpened = 0;

  constructor(options: FakeStatsServerOptions = {}) {
    this.#options = {
      intervalMs: options.intervalMs ?? 50,
      stream: options.stream ?? true,
      hello: options.hello ?? { messages: ["Hello from the fleet"], servedBy: { pod: "hello-0", node: "node-a" } },
    };
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => this.#handle(req, res));
    server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Drops every connection at once, like a killed process. */
  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers.clear();
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #next(): Record<string, unknown> {
    this.#seq += 1;
    return sampleAt(this.#seq, this.#options.intervalMs);
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.url === "/stats") return json(200, this.#next());
    if (req.url === "/hello/") return json(200, this.#options.hello);
    if (req.url === "/stats/stream" && this.#options.stream) {
      this.streamsOpened += 1;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const send = (): void => {
        const sample = this.#next();
        res.write(`id: ${sample.seq}\nevent: stats\ndata: ${JSON.stringify(sample)}\n\n`);
      };
      res.write(": hi\n\n");
      send();
      const timer = setInterval(send, this.#options.intervalMs);
      this.#timers.add(timer);
      req.on("close", () => {
        clearInterval(timer);
        this.#timers.delete(timer);
      });
      return;
    }
    json(404, { error: "not found" });
  }
}
