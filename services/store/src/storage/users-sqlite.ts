import { DatabaseSync } from "node:sqlite";
import { ConflictError, UnavailableError } from "./errors.ts";
import { migrateSqlite, tuneSqlite } from "./sqlite-migrate.ts";
import type { NewUser, User, UserStore } from "./users.ts";

interface UserRow {
  id: number | bigint;
  username: string;
  name: string;
  email: string;
}

const toUser = (r: UserRow): User => ({ id: Number(r.id), username: r.username, name: r.name, email: r.email });

/** Embedded users storage on Node's built-in SQLite (`:memory:` by default, or a file). */
export class SqliteUserStore implements UserStore {
  readonly backend = "sqlite";
  readonly #db: DatabaseSync;

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    tuneSqlite(this.#db, path);
  }

  async migrate(): Promise<number> {
    return this.#run(() => migrateSqlite(this.#db, "users"));
  }

  async create(user: NewUser): Promise<User> {
    return this.#run(() => {
      const row = this.#db
        .prepare("INSERT INTO users (username, name, email, password_hash) VALUES (?, ?, ?, ?) RETURNING id, username, name, email")
        .get(user.username, user.name, user.email, user.passwordHash) as unknown as UserRow;
      return toUser(row);
    });
  }

  async get(id: number): Promise<User | null> {
    return this.#run(() => {
      const row = this.#db.prepare("SELECT id, username, name, email FROM users WHERE id = ?").get(id) as UserRow | undefined;
      return row ? toUser(row) : null;
    });
  }

  async list(limit: number, afterId: number): Promise<User[]> {
    return this.#run(() =>
      (
        this.#db
          .prepare("SELECT id, username, name, email FROM users WHERE id > ? ORDER BY id LIMIT ?")
          .all(afterId, limit) as unknown as UserRow[]
      ).map(toUser),
    );
  }

  async delete(id: number): Promise<boolean> {
    return this.#run(() => Number(this.#db.prepare("DELETE FROM users WHERE id = ?").run(id).changes) > 0);
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
      const message = err instanceof Error ? err.message : "";
      const unique = /UNIQUE constraint failed: users\.(\w+)/.exec(message);
      if (unique?.[1]) throw new ConflictError(unique[1]);
      throw new UnavailableError("users", err);
    }
  }
}
