import type { FastifyInstance } from "fastify";

/** `GET /hello`: byte-compatible with gobyexample's HTTP server. */
export function helloRoute(app: FastifyInstance): void {
  app.get("/hello", async (_request, reply) => reply.type("text/plain; charset=utf-8").send("hello\n"));
}
