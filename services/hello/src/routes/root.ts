import { type Routes, z } from "@flotilla/service-kit";
import type { MessageSource } from "../messages.ts";
import { PAGE_CSP, renderPage } from "../page.ts";
import { type ServedBy, servedBySchema } from "../served-by.ts";

/** True when the client asked for JSON and did not also (or preferably) ask for HTML. */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const json = quality(accept, "application/json");
  return json > 0 && json >= quality(accept, "text/html");
}

function quality(accept: string, type: string): number {
  for (const part of accept.split(",")) {
    const [media, ...params] = part.trim().split(";");
    if (media?.trim().toLowerCase() !== type) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const value = q ? Number(q.slice(2)) : 1;
    return Number.isFinite(value) ? value : 0;
  }
  return 0;
}

const rootBody = z.object({ messages: z.array(z.string()).describe("MESSAGES, or MESSAGES_FILE's lines"), servedBy: servedBySchema });

/** `GET /`: the messages and where the request was served, as HTML or JSON. */
export const rootRoutes: Routes<{ messages: MessageSource; served: ServedBy }> = async (app, { messages, served }) => {
  app.get(
    "/",
    {
      schema: {
        summary: "The configured messages and where the request was served: an HTML page, or JSON for `Accept: application/json`.",
        response: {
          200: {
            description: "HTML unless the client prefers JSON",
            content: { "application/json": { schema: rootBody }, "text/html": { schema: z.string() } },
          },
        },
      },
    },
    async (request, reply) => {
      reply.header("vary", "Accept").header("cache-control", "no-store");
      if (wantsJson(request.headers.accept)) return { messages: [...messages.current], servedBy: served };
      return reply.type("text/html; charset=utf-8").header("content-security-policy", PAGE_CSP).send(renderPage(messages.current, served));
    },
  );
};
