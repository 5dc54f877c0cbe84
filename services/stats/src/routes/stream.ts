// GET /stats/stream: Server-Sent Events, one `stats` event per sample, capped in number.
import { statsSampleSchema } from "@flotilla/contracts/stats-sample";
import { errorSchema, type Routes, z } from "@flotilla/service-kit";
import type { StreamHub } from "../sse.ts";

// One event of the stream as sse.ts writes it, the form SSE clients (and OpenAPI 3.2's
// itemSchema) read it in: `id` is the sample's seq, `data` the /stats body as one line of JSON.
// The `retry:` hint and `: heartbeat` comments carry no data, so they are no events.
export const statsEvent = z
  .object({
    id: z
      .string()
      .regex(/^[0-9]+$/)
      .describe("the sample's seq: send it back as Last-Event-ID"),
    event: z.literal("stats"),
    data: z.string().meta({
      description: "the /stats body, as one line of JSON",
      contentMediaType: "application/json",
      contentSchema: sampleJsonSchema(),
    }),
  })
  .meta({
    description:
      "Each event of an endless stream (after a `retry: <ms>` hint): one `stats` event per sample, with `: heartbeat` comments between.",
  });

function sampleJsonSchema(): object {
  const { $schema: _, ...schema } = z.toJSONSchema(statsSampleSchema, { target: "draft-2020-12", io: "output" });
  return schema;
}

export const streamRoutes: Routes<{ hub: StreamHub; onRejected: () => void }> = async (app, { hub, onRejected }) => {
  app.get(
    "/stats/stream",
    {
      exposeHeadRoute: false,
      schema: {
        summary:
          "Server-Sent Events: a `retry` hint, the latest sample at once, then one `stats` event per sample (data: the /stats body).",
        headers: z.object({ "last-event-id": z.string().optional().describe("the last `id` received: that sample is not sent again") }),
        produces: ["text/event-stream"],
        response: { 200: statsEvent, 503: errorSchema.describe("STATS_MAX_STREAMS are open") },
      },
    },
    async (request, reply) => {
      if (hub.full) {
        onRejected();
        return reply
          .code(503)
          .header("retry-after", "5")
          .send({ error: `too many open streams (limit ${hub.maxStreams}); retry later or poll GET /stats` });
      }
      const stream = hub.open(request.headers["last-event-id"]);
      return reply
        .headers({
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          // nginx would otherwise buffer the stream and deliver events late, in bursts
          "x-accel-buffering": "no",
        })
        .send(stream as never); // a stream is sent as it is, never serialised
    },
  );
};
