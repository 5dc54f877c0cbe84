import { type Routes, z } from "@flotilla/service-kit";

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
export const headersRoutes: Routes = async (app) => {
  app.get(
    "/headers",
    {
      schema: {
        summary: "One `Name: value` line per request header, Go-canonical names, without Host (gobyexample).",
        produces: ["text/plain"],
        response: { 200: z.string() },
      },
    },
    async (request, reply) => {
      const raw = request.raw.rawHeaders;
      let body = "";
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = canonicalHeaderName(raw[i] ?? "");
        if (name === "Host") continue;
        body += `${name}: ${raw[i + 1]}\n`;
      }
      return reply.type("text/plain; charset=utf-8").send(body);
    },
  );
};
