import type { FastifyInstance } from "fastify";
import type { MigrationGate } from "../migration-gate.ts";
import { type PageQuery, pageQuerySchema, paginate } from "../pagination.ts";
import { OBJECT_ID_PATTERN, type PostStore } from "../storage/posts.ts";

export interface PostRoutesOptions {
  posts: PostStore;
  gate: MigrationGate;
  pageSizeDefault: number;
  pageSizeMax: number;
}

const createBody = {
  type: "object",
  required: ["title", "content"],
  properties: {
    // Non-empty after trimming: a title of spaces is no title.
    title: { type: "string", minLength: 1, maxLength: 200, pattern: "\\S" },
    content: { type: "string", minLength: 1, maxLength: 100_000, pattern: "\\S" },
  },
} as const;

const postSchema = {
  type: "object",
  properties: { id: { type: "string" }, title: { type: "string" }, content: { type: "string" } },
  required: ["id", "title", "content"],
} as const;

/** `/posts`: the seed's MongoDB collection `post` (or embedded SQLite), ObjectId ids on both. */
export async function postRoutes(app: FastifyInstance, opts: PostRoutesOptions): Promise<void> {
  const { posts, gate } = opts;
  app.addHook("onRequest", async () => gate.assertReady());

  app.get<{ Querystring: PageQuery }>(
    "/posts",
    {
      schema: {
        querystring: pageQuerySchema(opts.pageSizeMax, OBJECT_ID_PATTERN.source),
        response: {
          200: { type: "object", properties: { posts: { type: "array", items: postSchema } }, required: ["posts"] },
        },
      },
    },
    async (request, reply) => {
      const limit = request.query.limit ?? opts.pageSizeDefault;
      const items = await posts.list(limit + 1, request.query.cursor ?? "");
      return { posts: paginate(reply, "/posts", items, limit) };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/posts/:id",
    { schema: { response: { 200: { type: "object", properties: { post: postSchema }, required: ["post"] } } } },
    async (request, reply) => {
      if (!OBJECT_ID_PATTERN.test(request.params.id)) return reply.code(400).send({ error: "Invalid post ID" });
      const post = await posts.get(request.params.id);
      if (!post) return reply.code(404).send({ error: "Post not found" });
      return { post };
    },
  );

  app.post<{ Body: { title: string; content: string } }>(
    "/posts",
    {
      schema: {
        body: createBody,
        response: {
          201: { type: "object", properties: { message: { type: "string" }, post_id: { type: "string" } } },
        },
      },
    },
    async (request, reply) => {
      const post = await posts.create({ title: request.body.title, content: request.body.content });
      return reply.code(201).send({ message: "Post created successfully", post_id: post.id });
    },
  );

  app.delete<{ Params: { id: string } }>("/posts/:id", async (request, reply) => {
    if (!OBJECT_ID_PATTERN.test(request.params.id)) return reply.code(400).send({ error: "Invalid post ID" });
    if (!(await posts.delete(request.params.id))) return reply.code(404).send({ error: "Post not found" });
    return { message: "Post deleted successfully" };
  });
}
