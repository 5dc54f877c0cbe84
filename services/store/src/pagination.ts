import { z } from "@flotilla/service-kit";
import type { FastifyReply } from "fastify";

/** Query of a list endpoint: `?limit=&cursor=` (nothing else). */
export function pageQuerySchema(maxLimit: number, cursor: RegExp) {
  return z.strictObject({
    limit: z.coerce.number().int().min(1).max(maxLimit).optional().describe("page size"),
    cursor: z.string().regex(cursor).optional().describe("X-Next-Cursor of the previous page"),
  });
}

/**
 * Keyset pagination that keeps the seed's response body: the first page is the same shape as
 * before, and the way on is in headers: `X-Next-Cursor` and an RFC 8288 `Link: <...>; rel="next"`.
 * `items` holds up to limit + 1 rows; the extra one only says that another page exists.
 */
export function paginate<T extends { id: number | string }>(reply: FastifyReply, path: string, items: T[], limit: number): T[] {
  if (items.length <= limit) return items;
  const page = items.slice(0, limit);
  const next = String(page[page.length - 1]?.id);
  reply.header("x-next-cursor", next);
  reply.header("link", `<${path}?limit=${limit}&cursor=${encodeURIComponent(next)}>; rel="next"`);
  return page;
}
