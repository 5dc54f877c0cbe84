// GET /stats/stream: Server-Sent Events, one `stats` event per sample, capped in number.
import type { FastifyInstance } from "fastify";
import type { StreamHub } from "./sse.ts";
import { errorSchema } from "./stats-schema.ts";

export function registerStreamRoute(app: FastifyInstance, hub: StreamHub, onRejected: () => void): void {
  app.get("/stats/stream", { exposeHeadRoute: false, schema: { response: { 503: errorSchema } } }, async (request, reply) => {
    if (hub.full) {
      onRejected();
      return reply
        .code(503)
        .header("retry-after", "5")
        .send({ error: `too many open streams (limit ${hub.maxStreams}); retry later or poll GET /stats` });
    }
    const lastEventId = request.headers["last-event-id"];
    const stream = hub.open(typeof lastEventId === "string" ? lastEventId : undefined);
    return reply
      .headers({
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        // nginx would otherwise buffer the stream and deliver events late, in bursts
        "x-accel-buffering": "no",
      })
      .send(stream);
  });
}
