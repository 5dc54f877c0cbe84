// GET /stats: the latest sample. The body is the JSON string serialised once per sample, so a
// request costs a lookup, never a /proc read or a serialisation.
import type { FastifyInstance } from "fastify";
import type { Sampler } from "./sampler.ts";
import { errorSchema, statsSampleSchema } from "./stats-schema.ts";

export function registerStatsRoute(app: FastifyInstance, sampler: Sampler, intervalMs: number): void {
  app.get("/stats", { schema: { response: { 200: statsSampleSchema, 503: errorSchema } } }, async (_request, reply) => {
    const latest = sampler.latest;
    if (!latest) {
      return reply
        .code(503)
        .header("retry-after", String(Math.max(1, Math.ceil(intervalMs / 1000))))
        .send({ error: "no sample yet: the first one is taken one sampling interval after start" });
    }
    // A string with a JSON content type is sent as-is (the schema above documents it).
    return reply.header("cache-control", "no-store").type("application/json; charset=utf-8").send(latest.json);
  });
}
