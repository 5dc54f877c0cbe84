import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import type { Logger } from "./logger.ts";

/**
 * The access log through Fastify's own extension point: one `request` line per response, after
 * it finished, with the route pattern (not the raw URL, which would make every id a new series
 * in log queries) and the time Fastify measured. Fastify's "incoming request" line is dropped,
 * as are its other per-request lines (a premature close of an SSE stream is not news).
 */
export class AccessLog extends LogController {
  constructor() {
    super({ disableRequestLogging: true, requestIdLogLabel: "reqId" });
  }

  override incomingRequest(): void {}

  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (!(request.log as Logger).isLevelEnabled("info")) return; // nothing to build when the line would be dropped
    const line: Record<string, unknown> = {
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      path: pathOf(request.url),
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
    };
    // A request the drill switch (FAULTS_FILE) failed or slowed says so.
    if (request.fault !== undefined) line.fault = request.fault;
    request.log.info(line, "request");
  }
}

/** The URL without its query string (which may carry tokens), without splitting it into an array. */
function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}
