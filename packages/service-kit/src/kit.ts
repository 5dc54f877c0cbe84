import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { DestinationStream } from "pino";
import type { Registry } from "prom-client";
import { Health } from "./health.ts";
import { installErrorHandlers } from "./http-errors.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createHttpMetrics } from "./metrics.ts";
import { requestId, SECURITY_HEADERS } from "./request-context.ts";

/** The configuration keys the kit itself reads (see commonEnv). */
export interface KitConfig {
  PORT: number;
  HOST: string;
  LOG_LEVEL: string;
  SHUTDOWN_GRACE_MS: number;
  SHUTDOWN_DELAY_MS: number;
  BODY_LIMIT_BYTES: number;
}

export interface KitOptions {
  name: string;
  version: string;
  config: KitConfig;
  /** Where logs go; stdout by default. Tests pass a stream to read them. */
  logDestination?: DestinationStream;
}

export interface Kit {
  name: string;
  version: string;
  app: FastifyInstance;
  log: Logger;
  metrics: Registry;
  health: Health;
  /** Runs after the server has drained, before the process exits (close pools, stop timers). */
  onClose(hook: () => Promise<void> | void): void;
  listen(): Promise<string>;
  /** Readiness 503, optional delay, stop accepting, drain within the grace period, run onClose hooks. */
  shutdown(): Promise<void>;
  /** Immediate close for tests: no delay, no grace. */
  close(): Promise<void>;
}

export async function createKit(options: KitOptions): Promise<Kit> {
  const { name, version, config } = options;
  const log = createLogger(name, config.LOG_LEVEL, options.logDestination);
  const health = new Health();
  const http = createHttpMetrics(name);

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One line per request is written below, with the route pattern.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: "reqId" }),
    genReqId: requestId,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // During shutdown, requests that still arrive on open connections are served (and their
    // connection closed), not refused: refusing would fail requests a client already sent.
    return503OnClosing: false,
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: true },
  });

  installErrorHandlers(app);

  app.addHook("onRequest", (request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    reply.header("x-request-id", request.id);
    // Ask keep-alive clients to reconnect (to another replica) once shutdown has begun.
    if (health.shuttingDown) reply.header("connection", "close");
    done();
  });

  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const seconds = reply.elapsedTime / 1000;
    http.observe(request.method, route, reply.statusCode, seconds);
    request.log.info(
      {
        method: request.method,
        route,
        path: request.url.split("?", 1)[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      "request",
    );
    done();
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (_request, reply) => {
    const report = await health.readiness();
    if (!report.ready) return reply.code(503).send({ error: `not ready: ${report.reason}`, checks: report.checks });
    return { status: "ready", checks: report.checks };
  });

  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", http.registry.contentType);
    return http.registry.metrics();
  });

  const closeHooks: Array<() => Promise<void> | void> = [];
  app.addHook("onClose", async () => {
    for (const hook of closeHooks.reverse()) await hook();
  });

  let shutdownStarted: Promise<void> | undefined;

  return {
    name,
    version,
    app,
    log,
    metrics: http.registry,
    health,
    onClose: (hook) => {
      closeHooks.push(hook);
    },
    async listen() {
      const address = await app.listen({ port: config.PORT, host: config.HOST });
      log.info({ address, version }, `${name} listening`);
      return address;
    },
    shutdown() {
      shutdownStarted ??= (async () => {
        health.beginShutdown();
        log.info({ delayMs: config.SHUTDOWN_DELAY_MS, graceMs: config.SHUTDOWN_GRACE_MS }, "shutdown started");
        if (config.SHUTDOWN_DELAY_MS > 0) await sleep(config.SHUTDOWN_DELAY_MS);
        const grace = setTimeout(() => {
          log.warn({ graceMs: config.SHUTDOWN_GRACE_MS }, "grace period over: closing remaining connections");
          app.server.closeAllConnections();
        }, config.SHUTDOWN_GRACE_MS);
        grace.unref();
        try {
          await app.close();
        } finally {
          clearTimeout(grace);
        }
        log.info("shutdown complete");
        log.flush();
      })();
      return shutdownStarted;
    },
    async close() {
      health.beginShutdown();
      await app.close();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
