import { type Collection, type Db, MongoClient, MongoServerError, ObjectId } from "mongodb";
import { UnavailableError } from "./errors.ts";
import type { NewPost, Post, PostStore } from "./posts.ts";

export interface MongoOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  authSource: string;
  /** Server selection / connect timeout: how long a call waits while the server is down. */
  timeoutMs: number;
}

interface PostDoc {
  _id: ObjectId;
  title: string;
  content: string;
  created_at: Date;
}

interface MigrationDoc {
  _id: number;
  name: string;
  applied_at: Date;
}

/** MongoDB migrations, recorded in the `schema_migrations` collection (one document per version). */
const mongoMigrations: { version: number; name: string; up: (db: Db) => Promise<void> }[] = [
  {
    version: 1,
    name: "create post collection",
    up: async (db) => {
      try {
        await db.createCollection("post");
      } catch (err) {
        // 48 NamespaceExists: created by an earlier partial run or another replica.
        if (!(err instanceof MongoServerError && err.code === 48)) throw err;
      }
    },
  },
];

const toPost = (d: PostDoc): Post => ({ id: d._id.toHexString(), title: d.title, content: d.content });

/** Posts storage in the seed's MongoDB collection `post`. */
export class MongoPostStore implements PostStore {
  readonly backend = "mongodb";
  readonly #client: MongoClient;
  readonly #db: Db;
  readonly #posts: Collection<PostDoc>;

  constructor(opts: MongoOptions) {
    const auth = opts.user ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password)}@` : "";
    const query = opts.user ? `?authSource=${encodeURIComponent(opts.authSource)}` : "";
    this.#client = new MongoClient(`mongodb://${auth}${opts.host}:${opts.port}/${query}`, {
      directConnection: true,
      serverSelectionTimeoutMS: opts.timeoutMs,
      connectTimeoutMS: opts.timeoutMs,
      socketTimeoutMS: opts.timeoutMs * 5,
      maxPoolSize: 20,
      appName: "flotilla-store",
    });
    this.#db = this.#client.db(opts.database);
    this.#posts = this.#db.collection<PostDoc>("post");
  }

  async migrate(): Promise<number> {
    return this.#run(async () => {
      const log = this.#db.collection<MigrationDoc>("schema_migrations");
      const applied = new Set((await log.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
      let count = 0;
      for (const m of mongoMigrations) {
        if (applied.has(m.version)) continue;
        await m.up(this.#db);
        try {
          await log.insertOne({ _id: m.version, name: m.name, applied_at: new Date() });
        } catch (err) {
          // 11000 duplicate key: another replica recorded it first; the migration itself is idempotent.
          if (!(err instanceof MongoServerError && err.code === 11000)) throw err;
        }
        count++;
      }
      return count;
    });
  }

  async create(post: NewPost): Promise<Post> {
    return this.#run(async () => {
      const doc: PostDoc = { _id: new ObjectId(), title: post.title, content: post.content, created_at: new Date() };
      await this.#posts.insertOne(doc);
      return toPost(doc);
    });
  }

  async get(id: string): Promise<Post | null> {
    return this.#run(async () => {
      const doc = await this.#posts.findOne({ _id: ObjectId.createFromHexString(id) });
      return doc ? toPost(doc) : null;
    });
  }

  async list(limit: number, afterId: string): Promise<Post[]> {
    return this.#run(async () => {
      const filter = afterId ? { _id: { $gt: ObjectId.createFromHexString(afterId) } } : {};
      const docs = await this.#posts.find(filter).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map(toPost);
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.#run(async () => {
      const res = await this.#posts.deleteOne({ _id: ObjectId.createFromHexString(id) });
      return res.deletedCount > 0;
    });
  }

  async ping(): Promise<void> {
    await this.#run(async () => {
      await this.#db.command({ ping: 1 });
    });
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new UnavailableError("posts", err);
    }
  }
}
