import type { FastifyInstance } from "fastify";
import type { MessageSource } from "../messages.ts";
import { PAGE_CSP, renderPage } from "../page.ts";
import type { ServedBy } from "../served-by.ts";

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

/** `GET /`: the messages and where the request was served, as HTML or JSON. */
export function rootRoute(app: FastifyInstance, messages: MessageSource, served: ServedBy): void {
  app.get("/", async (request, reply) => {
    reply.header("vary", "Accept").header("cache-control", "no-store");
    if (wantsJson(request.headers.accept)) return { messages: messages.current, servedBy: served };
    return reply.type("text/html; charset=utf-8").header("content-security-policy", PAGE_CSP).send(renderPage(messages.current, served));
  });
}
