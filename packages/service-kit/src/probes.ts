import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errorSchema } from "./error-schema.ts";
import type { Health } from "./health.ts";

const checksSchema = z.record(z.string(), z.string()).describe("Each readiness check: `ok`, or why it failed.");

/**
 * `GET /healthz` (liveness: the process serves HTTP; never looks at dependencies, so a database
 * outage does not restart every pod) and `GET /readyz` (readiness: every registered check).
 */
export function installProbes(app: FastifyInstance, health: Health): void {
  app.get(
    "/healthz",
    {
      schema: { summary: "Liveness: 200 while the process serves HTTP.", response: { 200: z.object({ status: z.literal("ok") }) } },
      // Never shed: a liveness probe that fails under load gets a busy pod restarted.
      config: { pressureHandler: () => undefined },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        summary:
          "Readiness: 200 when every dependency check passes; 503 naming the failed ones, under overload and from the start of shutdown.",
        response: {
          200: z.object({ status: z.literal("ready"), checks: checksSchema }),
          503: errorSchema.extend({ checks: checksSchema.optional() }),
        },
      },
    },
    async (_request, reply) => {
      const report = await health.readiness();
      if (!report.ready) return reply.code(503).send({ error: `not ready: ${report.reason}`, checks: report.checks });
      return { status: "ready" as const, checks: report.checks };
    },
  );
}
