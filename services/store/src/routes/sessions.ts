import { errorSchema, type Routes, z } from "@flotilla/service-kit";
import type { KeyValueStore } from "../storage/key-value.ts";

export interface SessionsRoutesOptions {
  kv: KeyValueStore;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
// Keys are namespaced so sessions and the users cache can share one Redis database.
const key = (sessionId: string) => `session:${sessionId}`;
const saved = z.object({ message: z.string(), session_id: z.string() });
const idParams = z.object({ session_id: z.string().regex(SESSION_ID, "Invalid session ID") });
const notFound = { error: "Session not found" };
const noSuchSession = errorSchema.describe("no session with this id, or it expired");

/** `/session`: a value per session id with a TTL in seconds (Redis `SET key value EX ttl`). */
export const sessionsRoutes: Routes<SessionsRoutesOptions> = async (app, opts) => {
  const { kv } = opts;
  const body = z.object({
    session_id: z.string().regex(SESSION_ID),
    data: z.string().max(65_536),
    ttl: z.int().min(1).max(opts.maxTtlSeconds).optional().describe("seconds; SESSION_DEFAULT_TTL_SECONDS when absent"),
  });
  const save = async (verb: string, { session_id, data, ttl }: z.infer<typeof body>) => {
    await kv.set(key(session_id), data, ttl ?? opts.defaultTtlSeconds);
    return { message: `Session ${verb} successfully`, session_id };
  };

  app.post(
    "/session",
    { schema: { summary: "Creates a session value with a TTL.", body, response: { 201: saved } } },
    async (request, reply) => reply.code(201).send(await save("created", request.body)),
  );
  app.put("/session", { schema: { summary: "Replaces a session value (and its TTL).", body, response: { 200: saved } } }, async (request) =>
    save("updated", request.body),
  );

  app.get(
    "/session/:session_id",
    {
      schema: {
        summary: "A session value, until its TTL runs out.",
        params: idParams,
        response: { 200: z.object({ session_id: z.string(), data: z.string() }), 404: noSuchSession },
      },
    },
    async (request, reply) => {
      const { session_id } = request.params;
      const data = await kv.get(key(session_id));
      if (data === null) return reply.code(404).send(notFound);
      return { session_id, data };
    },
  );

  app.delete(
    "/session/:session_id",
    {
      schema: {
        summary: "Deletes a session value.",
        params: idParams,
        response: { 200: z.object({ message: z.string() }), 404: noSuchSession },
      },
    },
    async (request, reply) => {
      if (!(await kv.del(key(request.params.session_id)))) return reply.code(404).send(notFound);
      return { message: "Session deleted successfully" };
    },
  );
};
