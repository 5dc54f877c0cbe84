import { describe, expect, it } from "vitest";
import { backends, sfx, storeApi, walk } from "../../test/api.ts";

const { json, get, del } = storeApi();

describe(`/posts (${backends})`, () => {
  it("creates (201 with an ObjectId), reads {post}, lists {posts}, deletes", async () => {
    const created = await json("POST", "/posts", { title: `Title ${sfx}`, content: "Body" });
    expect(created.statusCode).toBe(201);
    const { message, post_id } = created.json();
    expect(message).toBe("Post created successfully");
    expect(post_id).toMatch(/^[0-9a-f]{24}$/);
    const one = await get(`/posts/${post_id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ post: { id: post_id, title: `Title ${sfx}`, content: "Body" } });
    const all = await get("/posts");
    expect(all.statusCode).toBe(200);
    expect(Object.keys(all.json())).toEqual(["posts"]);
    const gone = await del(`/posts/${post_id}`);
    expect(gone.statusCode).toBe(200);
    expect(gone.json()).toEqual({ message: "Post deleted successfully" });
    expect((await get(`/posts/${post_id}`)).json()).toEqual({ error: "Post not found" });
    expect((await del(`/posts/${post_id}`)).statusCode).toBe(404);
  });

  it("answers 400 Invalid post ID for a malformed id, 404 for an unknown one", async () => {
    for (const id of ["123", "zzzzzzzzzzzzzzzzzzzzzzzz", "0123456789abcdef0123456789"]) {
      const res = await get(`/posts/${id}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: "Invalid post ID" });
      expect((await del(`/posts/${id}`)).statusCode).toBe(400);
    }
    expect((await get("/posts/000000000000000000000000")).statusCode).toBe(404);
  });

  it.each([
    ["an empty title", { title: "", content: "c" }],
    ["a blank title", { title: "   ", content: "c" }],
    ["a missing content", { title: "t" }],
    ["a title over 200 characters", { title: "t".repeat(201), content: "c" }],
  ])("rejects %s with 400", async (_what, body) => {
    const res = await json("POST", "/posts", body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^invalid request: /);
  });

  it("pages posts by limit/cursor in creation order", async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await json("POST", "/posts", { title: `p${i}`, content: "c" })).json().post_id);
    const ids = (await walk(get, "/posts", 2, (b) => (b as { posts: { id: string }[] }).posts)) as string[];
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => created.includes(id))).toEqual(created);
    expect((await get("/posts?cursor=nothex")).statusCode).toBe(400);
  });
});
