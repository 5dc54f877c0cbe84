import { errorSchema, type Routes, z } from "@flotilla/service-kit";
import type { MigrationGate } from "../migration-gate.ts";
import { pageQuerySchema, paginate } from "../pagination.ts";
import { hashPassword, PASSWORD_MAX_BYTES } from "../password.ts";
import type { UserStore } from "../storage/users.ts";
import type { UserCache } from "../user-cache.ts";

export interface UsersRoutesOptions {
  users: UserStore;
  cache: UserCache;
  gate: MigrationGate;
  bcryptCost: number;
  pageSizeDefault: number;
  pageSizeMax: number;
}

// zod's own email pattern, whose domain labels are RFC 1035's (letters, digits, inner hyphens, at
// most 63): zod's let a label end in a hyphen, which format: email (RFC 5321) does not. The
// document states format, pattern and maxLength; the validator checks all three (RFC 5321's
// 64-octet local part is the part of the format the pattern cannot say without a lookahead).
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const LOCAL_PART_MAX = 64;

// Column sizes of the `users` table (sql-migrations.ts).
const createBody = z.object({
  username: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[^\s\x00-\x1f]+$/, "must not contain spaces or control characters"),
  name: z.string().min(1).max(100),
  email: z
    .email({ pattern: EMAIL })
    .max(100)
    .refine((e) => e.indexOf("@") <= LOCAL_PART_MAX, `the part before @ must be at most ${LOCAL_PART_MAX} characters`),
  // bcrypt reads at most 72 bytes: a longer password is refused rather than silently truncated.
  password: z
    .string()
    .min(8)
    .max(PASSWORD_MAX_BYTES)
    .describe(`at most ${PASSWORD_MAX_BYTES} bytes in UTF-8 (bcrypt's limit): fewer characters when some are not ASCII`)
    .refine((p) => Buffer.byteLength(p, "utf8") <= PASSWORD_MAX_BYTES, `must be at most ${PASSWORD_MAX_BYTES} bytes`),
});

const user = z.object({ id: z.int(), username: z.string(), name: z.string(), email: z.string() });
const created = z.object({ message: z.string(), user: z.string().describe("the username"), id: z.int() });

// A positive safe integer, written plainly (no sign, no leading zero, no exponent).
const idParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "Invalid user ID")
    .transform(Number)
    .refine(Number.isSafeInteger, "Invalid user ID"),
});

const notFound = { error: "User not found" };
const noSuchUser = errorSchema.describe("no user with this id");

/** `/users`: MySQL (or embedded SQLite) with a cache-aside read path for `GET /users/:id`. */
export const usersRoutes: Routes<UsersRoutesOptions> = async (app, opts) => {
  const { users, cache, gate } = opts;
  // Every route here needs the users database: 503 until its migrations have run.
  app.addHook("onRequest", async () => gate.assertReady());

  app.post(
    "/users",
    {
      schema: {
        summary: "Creates a user (the password is stored as a bcrypt hash, never returned).",
        body: createBody,
        response: { 201: created, 409: errorSchema.describe("username or email already exists") },
      },
    },
    async (request, reply) => {
      const { username, name, email, password } = request.body;
      const passwordHash = await hashPassword(password, opts.bcryptCost);
      const row = await users.create({ username, name, email, passwordHash });
      return reply.code(201).send({ message: "User created successfully", user: row.username, id: row.id });
    },
  );

  app.get(
    "/users",
    {
      schema: {
        summary: "Users in id order; more pages through X-Next-Cursor / Link.",
        querystring: pageQuerySchema(opts.pageSizeMax, /^[0-9]{1,16}$/),
        response: { 200: z.array(user) },
      },
    },
    async (request, reply) => {
      const limit = request.query.limit ?? opts.pageSizeDefault;
      const after = Number(request.query.cursor ?? 0);
      return paginate(reply, "/users", await users.list(limit + 1, after), limit);
    },
  );

  app.get(
    "/users/:id",
    {
      schema: {
        summary: "One user, through the cache (X-Cache: hit or miss).",
        params: idParams,
        response: { 200: user, 404: noSuchUser },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const cached = await cache.get(id);
      reply.header("x-cache", cached.hit ? "hit" : "miss");
      if (cached.hit) {
        return cached.user ?? reply.code(404).send(notFound);
      }
      const row = await users.get(id);
      if (!row) return reply.code(404).send(notFound);
      await cache.fill(row);
      return row;
    },
  );

  app.delete(
    "/users/:id",
    {
      schema: {
        summary: "Deletes a user and drops it from the cache.",
        params: idParams,
        response: { 200: z.object({ message: z.string() }), 404: noSuchUser },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await users.delete(id))) return reply.code(404).send(notFound);
      await cache.invalidate(id);
      return { message: "User deleted successfully" };
    },
  );
};
