import underPressure from "@fastify/under-pressure";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface LoadSheddingLimits {
  /** Mean event-loop delay (ms) over a second above which requests are shed; 0 = off. */
  maxEventLoopDelayMs: number;
  /** V8 heap in use (bytes) above which requests are shed; 0 = off. */
  maxHeapUsedBytes: number;
}

/** How long a shed client is asked to wait before retrying. */
export const RETRY_AFTER_SECONDS = 10;

const REASONS: Record<string, (value: number) => string> = {
  eventLoopDelay: (ms) => `event loop delay ${Math.round(ms)} ms`,
  heapUsedBytes: (bytes) => `heap in use ${Math.round(bytes / 1024 / 1024)} MiB`,
};

/**
 * Load shedding with @fastify/under-pressure: past a limit, requests get `503 {"error"}` with
 * `Retry-After` at once instead of queueing behind a saturated event loop (or an exhausted heap),
 * and `/readyz` turns 503 with them, so the load balancer sends traffic elsewhere. Routes that
 * must answer regardless (liveness, metrics) opt out with `config.pressureHandler`.
 */
export async function installLoadShedding(app: FastifyInstance, limits: LoadSheddingLimits): Promise<void> {
  await app.register(underPressure, {
    maxEventLoopDelay: limits.maxEventLoopDelayMs,
    maxHeapUsedBytes: limits.maxHeapUsedBytes,
    pressureHandler: shed as unknown as (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void,
  });
}

// under-pressure sends what its handler returns (its types say void; a nullish result would let
// the request through instead).
function shed(_request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined): { error: string } {
  const reason = REASONS[type]?.(value ?? 0) ?? type;
  reply.code(503).header("retry-after", String(RETRY_AFTER_SECONDS));
  return { error: `overloaded (${reason}); retry in ${RETRY_AFTER_SECONDS} s` };
}
