import type { FastifyInstance } from "fastify";
import type { Health } from "./health.ts";

export interface ShutdownTimes {
  /** Keep serving this long after readiness turned 503 (load balancers stop routing here). */
  delayMs: number;
  /** In-flight requests may take this long once the listener closed; then connections are cut. */
  graceMs: number;
}

/**
 * The one shutdown API is Fastify's own: services stop their parts in `preClose` (before the
 * server waits for connections: end streams, start draining other listeners) and `onClose` (after:
 * close pools, stop timers). `app.shutdown()` is the graceful road to `app.close()` a SIGTERM
 * takes: readiness 503 at once, the delay, then close with the grace period as the limit.
 * A plain `app.close()` (tests) skips the delay and the grace period.
 */
export function installShutdown(app: FastifyInstance, health: Health, times: ShutdownTimes): void {
  app.addHook("preClose", (done) => {
    health.beginShutdown();
    done();
  });

  let started: Promise<void> | undefined;
  app.decorate("shutdown", () => {
    started ??= (async () => {
      health.beginShutdown();
      app.log.info({ delayMs: times.delayMs, graceMs: times.graceMs }, "shutdown started");
      if (times.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, times.delayMs));
      const grace = setTimeout(() => {
        app.log.warn({ graceMs: times.graceMs }, "grace period over: closing remaining connections");
        app.server.closeAllConnections();
      }, times.graceMs);
      grace.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(grace);
      }
      app.log.info("shutdown complete");
    })();
    return started;
  });
}
