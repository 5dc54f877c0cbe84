// GET /stats/stream: Server-Sent Events, one `stats` event per sample, capped in number.
import { errorSchema, type Routes, z } from "@flotilla/service-kit";
import type { StreamHub } from "../sse.ts";

// The stream as sse.ts writes it: a `retry` hint, then `stats` events (id = the sample's seq,
// data = the /stats body on one line) and heartbeat comments. The pattern is the document's
// exact description of the events; stream.test.ts holds what is sent against it.
export const SSE_PATTERN = "^retry: [0-9]+\\n\\n(?:(?:: heartbeat|id: [0-9]+\\nevent: stats\\ndata: \\{[^\\n]*\\})\\n\\n)*$";
const eventStream = z.string().meta({
  description:
    "An endless event stream: `retry: <ms>`, then one `stats` event per sample (`id`: its seq; `data`: the /stats body as one line of JSON) and `: heartbeat` comments.",
  pattern: SSE_PATTERN,
  examples: ['retry: 1000\n\nid: 7\nevent: stats\ndata: {"seq":7,"cpu":12.5,"ram":40.1}\n\n: heartbeat\n\n'],
});

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
        response: { 200: eventStream, 503: errorSchema.describe("STATS_MAX_STREAMS are open") },
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
