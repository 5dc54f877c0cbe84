import type { FastifyInstance } from "fastify";

/** `GET /greeting/` (the seed's path; `/greeting` works too): the seed's exact body. */
export function greetingRoute(app: FastifyInstance): void {
  app.get(
    "/greeting/",
    {
      schema: {
        response: { 200: { type: "object", properties: { Greeting: { type: "string" } }, required: ["Greeting"] } },
      },
    },
    async () => ({ Greeting: "Hi Koronet Team" }),
  );
}
