import { errorSchema, type Routes, z } from "@flotilla/service-kit";
import type { MigrationGate } from "../migration-gate.ts";
import { pageQuerySchema, paginate } from "../pagination.ts";
import { OBJECT_ID_PATTERN, type PostStore } from "../storage/posts.ts";

export interface PostsRoutesOptions {
  posts: PostStore;
  gate: MigrationGate;
  pageSizeDefault: number;
  pageSizeMax: number;
}

// Non-empty after trimming: a title of spaces is no title.
const createBody = z.object({
  title: z.string().min(1).max(200).regex(/\S/, "must not be blank"),
  content: z.string().min(1).max(100_000).regex(/\S/, "must not be blank"),
});
const post = z.object({ id: z.string(), title: z.string(), content: z.string() });
const idParams = z.object({ id: z.string().regex(OBJECT_ID_PATTERN, "Invalid post ID").describe("an ObjectId (24 hex digits)") });
const notFound = { error: "Post not found" };
const noSuchPost = errorSchema.describe("no post with this id");

/** `/posts`: the seed's MongoDB collection `post` (or embedded SQLite), ObjectId ids on both. */
export const postsRoutes: Routes<PostsRoutesOptions> = async (app, opts) => {
  const { posts, gate } = opts;
  app.addHook("onRequest", async () => gate.assertReady());

  app.get(
    "/posts",
    {
      schema: {
        summary: "Posts in creation order; more pages through X-Next-Cursor / Link.",
        querystring: pageQuerySchema(opts.pageSizeMax, OBJECT_ID_PATTERN),
        response: { 200: z.object({ posts: z.array(post) }) },
      },
    },
    async (request, reply) => {
      const limit = request.query.limit ?? opts.pageSizeDefault;
      const items = await posts.list(limit + 1, request.query.cursor ?? "");
      return { posts: paginate(reply, "/posts", items, limit) };
    },
  );

  app.get(
    "/posts/:id",
    {
      schema: {
        summary: "One post.",
        params: idParams,
        response: { 200: z.object({ post }), 404: noSuchPost },
      },
    },
    async (request, reply) => {
      const found = await posts.get(request.params.id);
      if (!found) return reply.code(404).send(notFound);
      return { post: found };
    },
  );

  app.post(
    "/posts",
    {
      schema: {
        summary: "Creates a post.",
        body: createBody,
        response: { 201: z.object({ message: z.string(), post_id: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await posts.create({ title: request.body.title, content: request.body.content });
      return reply.code(201).send({ message: "Post created successfully", post_id: created.id });
    },
  );

  app.delete(
    "/posts/:id",
    {
      schema: {
        summary: "Deletes a post.",
        params: idParams,
        response: { 200: z.object({ message: z.string() }), 404: noSuchPost },
      },
    },
    async (request, reply) => {
      if (!(await posts.delete(request.params.id))) return reply.code(404).send(notFound);
      return { message: "Post deleted successfully" };
    },
  );
};
