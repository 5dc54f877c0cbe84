// GET /stats: the latest sample. The body is the sample's JSON, encoded through the contract once
// per sample (sampler.ts), so a request costs a lookup, never a /proc read or a serialisation.
import { statsSampleSchema } from "@flotilla/contracts/stats-sample";
import { errorSchema, type Routes } from "@flotilla/service-kit";
import type { Sampler } from "../sampler.ts";

export const statsRoutes: Routes<{ sampler: Sampler; intervalMs: number }> = async (app, { sampler, intervalMs }) => {
  app.get(
    "/stats",
    {
      schema: {
        summary: "The latest sample: psutil-style `ram` and `cpu` percentages plus cgroup-aware detail.",
        response: { 200: statsSampleSchema, 503: errorSchema.describe("no sample yet (one interval after start); see Retry-After") },
      },
    },
    async (_request, reply) => {
      const latest = sampler.latest;
      if (!latest) {
        return reply
          .code(503)
          .header("retry-after", String(Math.max(1, Math.ceil(intervalMs / 1000))))
          .send({ error: "no sample yet: the first one is taken one sampling interval after start" });
      }
      // A string with a JSON content type is sent as it is: it was encoded by the schema above.
      return reply
        .header("cache-control", "no-store")
        .type("application/json; charset=utf-8")
        .send(latest.json as never);
    },
  );
};
