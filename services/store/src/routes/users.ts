import type { FastifyInstance } from "fastify";
import type { MigrationGate } from "../migration-gate.ts";
import { type PageQuery, pageQuerySchema, paginate } from "../pagination.ts";
import { hashPassword, PASSWORD_MAX_BYTES } from "../password.ts";
import type { UserStore } from "../storage/users.ts";
import type { UserCache } from "../user-cache.ts";

export interface UserRoutesOptions {
  users: UserStore;
  cache: UserCache;
  gate: MigrationGate;
  bcryptCost: number;
  pageSizeDefault: number;
  pageSizeMax: number;
}

// Column sizes of the `users` table (sql-migrations.ts).
const createBody = {
  type: "object",
  required: ["username", "name", "email", "password"],
  properties: {
    username: { type: "string", minLength: 1, maxLength: 50, pattern: "^[^\\s\\x00-\\x1f]+$" },
    name: { type: "string", minLength: 1, maxLength: 100 },
    email: { type: "string", format: "email", maxLength: 100 },
    password: { type: "string", minLength: 8, maxLength: PASSWORD_MAX_BYTES },
  },
} as const;

const userSchema = {
  type: "object",
  properties: { id: { type: "integer" }, username: { type: "string" }, name: { type: "string" }, email: { type: "string" } },
  required: ["id", "username", "name", "email"],
} as const;

interface CreateBody {
  username: string;
  name: string;
  email: string;
  password: string;
}

const MAX_ID = 2 ** 53 - 1;

/** Parses a path id; null for anything but a positive safe integer. */
function parseId(raw: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return id <= MAX_ID ? id : null;
}

/** `/users`: MySQL (or embedded SQLite) with a cache-aside read path for `GET /users/:id`. */
export async function userRoutes(app: FastifyInstance, opts: UserRoutesOptions): Promise<void> {
  const { users, cache, gate } = opts;
  // Every route here needs the users database: 503 until its migrations have run.
  app.addHook("onRequest", async () => gate.assertReady());

  app.post<{ Body: CreateBody }>(
    "/users",
    {
      schema: {
        body: createBody,
        response: {
          201: {
            type: "object",
            properties: { message: { type: "string" }, user: { type: "string" }, id: { type: "integer" } },
          },
        },
      },
    },
    async (request, reply) => {
      const { username, name, email, password } = request.body;
      if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) {
        return reply.code(400).send({ error: `invalid request: password must be at most ${PASSWORD_MAX_BYTES} bytes` });
      }
      const passwordHash = await hashPassword(password, opts.bcryptCost);
      const user = await users.create({ username, name, email, passwordHash });
      return reply.code(201).send({ message: "User created successfully", user: user.username, id: user.id });
    },
  );

  app.get<{ Querystring: PageQuery }>(
    "/users",
    {
      schema: {
        querystring: pageQuerySchema(opts.pageSizeMax, "^[0-9]{1,16}$"),
        response: { 200: { type: "array", items: userSchema } },
      },
    },
    async (request, reply) => {
      const limit = request.query.limit ?? opts.pageSizeDefault;
      const after = Number(request.query.cursor ?? 0);
      return paginate(reply, "/users", await users.list(limit + 1, after), limit);
    },
  );

  app.get<{ Params: { id: string } }>("/users/:id", { schema: { response: { 200: userSchema } } }, async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === null) return reply.code(400).send({ error: "Invalid user ID" });
    const cached = await cache.get(id);
    reply.header("x-cache", cached.hit ? "hit" : "miss");
    if (cached.hit) {
      return cached.user ?? reply.code(404).send({ error: "User not found" });
    }
    const user = await users.get(id);
    if (!user) return reply.code(404).send({ error: "User not found" });
    await cache.fill(user);
    return user;
  });

  app.delete<{ Params: { id: string } }>("/users/:id", async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === null) return reply.code(400).send({ error: "Invalid user ID" });
    const deleted = await users.delete(id);
    if (!deleted) return reply.code(404).send({ error: "User not found" });
    await cache.invalidate(id);
    return { message: "User deleted successfully" };
  });
}
