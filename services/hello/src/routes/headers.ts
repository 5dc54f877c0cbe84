import type { FastifyInstance } from "fastify";

/** Go's canonical header name: `x-request-id` -> `X-Request-Id`. */
export function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("-");
}

/**
 * `GET /headers`: one `Name: value` line per request header value, like gobyexample's Go server
 * (which canonicalises names and, as Go does, leaves out Host).
 */
export function headersRoute(app: FastifyInstance): void {
  app.get("/headers", async (request, reply) => {
    const raw = request.raw.rawHeaders;
    let body = "";
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = canonicalHeaderName(raw[i] ?? "");
      if (name === "Host") continue;
      body += `${name}: ${raw[i + 1]}\n`;
    }
    return reply.type("text/plain; charset=utf-8").send(body);
  });
}
