import type { FastifyReply } from "fastify";

/** Query schema for `?limit=&cursor=` on a list endpoint. */
export function pageQuerySchema(maxLimit: number, cursorPattern: string) {
  return {
    type: "object",
    properties: {
      limit: { type: "integer", minimum: 1, maximum: maxLimit },
      cursor: { type: "string", pattern: cursorPattern },
    },
    additionalProperties: false,
  } as const;
}

export interface PageQuery {
  limit?: number;
  cursor?: string;
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
