import type { FastifyInstance } from "fastify";
import type { KeyValueStore } from "../storage/key-value.ts";

export interface SessionRoutesOptions {
  kv: KeyValueStore;
  defaultTtlSeconds: number;
  maxTtlSeconds: number;
}

const SESSION_ID = "^[A-Za-z0-9_.:-]{1,128}$";
const SESSION_ID_RE = new RegExp(SESSION_ID);
// Keys are namespaced so sessions and the users cache can share one Redis database.
const key = (sessionId: string) => `session:${sessionId}`;

/** `/session`: a value per session id with a TTL in seconds (Redis `SET key value EX ttl`). */
export async function sessionRoutes(app: FastifyInstance, opts: SessionRoutesOptions): Promise<void> {
  const { kv } = opts;
  const body = {
    type: "object",
    required: ["session_id", "data"],
    properties: {
      session_id: { type: "string", pattern: SESSION_ID },
      data: { type: "string", maxLength: 65_536 },
      ttl: { type: "integer", minimum: 1, maximum: opts.maxTtlSeconds },
    },
  } as const;
  const saved = { type: "object", properties: { message: { type: "string" }, session_id: { type: "string" } } };

  type Body = { session_id: string; data: string; ttl?: number };
  const save = (verb: string) => async (request: { body: Body }) => {
    const { session_id, data, ttl } = request.body;
    await kv.set(key(session_id), data, ttl ?? opts.defaultTtlSeconds);
    return { message: `Session ${verb} successfully`, session_id };
  };

  const createSession = save("created");
  app.post<{ Body: Body }>("/session", { schema: { body, response: { 201: saved } } }, async (request, reply) =>
    reply.code(201).send(await createSession(request)),
  );
  app.put<{ Body: Body }>("/session", { schema: { body, response: { 200: saved } } }, save("updated"));

  app.get<{ Params: { session_id: string } }>(
    "/session/:session_id",
    {
      schema: {
        response: { 200: { type: "object", properties: { session_id: { type: "string" }, data: { type: "string" } } } },
      },
    },
    async (request, reply) => {
      const { session_id } = request.params;
      if (!SESSION_ID_RE.test(session_id)) return reply.code(400).send({ error: "Invalid session ID" });
      const data = await kv.get(key(session_id));
      if (data === null) return reply.code(404).send({ error: "Session not found" });
      return { session_id, data };
    },
  );

  app.delete<{ Params: { session_id: string } }>("/session/:session_id", async (request, reply) => {
    const { session_id } = request.params;
    if (!SESSION_ID_RE.test(session_id)) return reply.code(400).send({ error: "Invalid session ID" });
    if (!(await kv.del(key(session_id)))) return reply.code(404).send({ error: "Session not found" });
    return { message: "Session deleted successfully" };
  });
}
