import { DatabaseSync } from "node:sqlite";
import { ObjectId } from "mongodb";
import { UnavailableError } from "./errors.ts";
import type { NewPost, Post, PostStore } from "./posts.ts";
import { migrateSqlite, tuneSqlite } from "./sqlite-migrate.ts";

interface PostRow {
  id: string;
  title: string;
  content: string;
}

/**
 * Embedded posts storage on Node's built-in SQLite. Ids are real ObjectIds (time-ordered
 * 24-hex), stored lowercase, so ids, ordering and `400 Invalid post ID` match the MongoDB backend.
 */
export class SqlitePostStore implements PostStore {
  readonly backend = "sqlite";
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    tuneSqlite(this.#db, path);
  }

  async migrate(): Promise<number> {
    return this.#run(() => migrateSqlite(this.#db, "posts"));
  }

  async create(post: NewPost): Promise<Post> {
    const id = new ObjectId().toHexString();
    this.#run(() => this.#db.prepare("INSERT INTO posts (id, title, content) VALUES (?, ?, ?)").run(id, post.title, post.content));
    return { id, title: post.title, content: post.content };
  }

  async get(id: string): Promise<Post | null> {
    const row = this.#run(
      () => this.#db.prepare("SELECT id, title, content FROM posts WHERE id = ?").get(id.toLowerCase()) as PostRow | undefined,
    );
    return row ? { ...row } : null;
  }

  async list(limit: number, afterId: string): Promise<Post[]> {
    return this.#run(() =>
      (
        this.#db
          .prepare("SELECT id, title, content FROM posts WHERE id > ? ORDER BY id LIMIT ?")
          .all(afterId.toLowerCase(), limit) as unknown as PostRow[]
      ).map((r) => ({ ...r })),
    );
  }

  async delete(id: string): Promise<boolean> {
    return this.#run(() => Number(this.#db.prepare("DELETE FROM posts WHERE id = ?").run(id.toLowerCase()).changes) > 0);
  }

  async ping(): Promise<void> {
    this.#run(() => this.#db.prepare("SELECT 1").get());
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw new UnavailableError("posts", err);
    }
  }
}
