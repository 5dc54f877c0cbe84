import mysql from "mysql2/promise";
import { ConflictError, UnavailableError } from "./errors.ts";
import { migrationsFor, SCHEMA_MIGRATIONS_MYSQL } from "./sql-migrations.ts";
import type { NewUser, User, UserStore } from "./users.ts";

export interface MysqlOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  connectionLimit: number;
  /** Bounds how long a call waits for a connection or a query when the server is gone. */
  timeoutMs: number;
}

interface UserRow {
  id: number | string;
  username: string;
  name: string;
  email: string;
}

const toUser = (r: UserRow): User => ({ id: Number(r.id), username: r.username, name: r.name, email: r.email });
const MIGRATION_LOCK = "flotilla_store_migrations";

/** Users storage on MySQL 8 / MariaDB through a mysql2 connection pool. */
export class MysqlUserStore implements UserStore {
  readonly backend = "mysql";
  readonly #pool: mysql.Pool;
  readonly #timeoutMs: number;

  constructor(opts: MysqlOptions) {
    this.#timeoutMs = opts.timeoutMs;
    this.#pool = mysql.createPool({
      host: opts.host,
      port: opts.port,
      user: opts.user,
      password: opts.password,
      database: opts.database,
      connectionLimit: opts.connectionLimit,
      connectTimeout: opts.timeoutMs,
      enableKeepAlive: true,
      // Fail fast instead of queueing forever while the server is down.
      queueLimit: opts.connectionLimit * 20,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  }

  /** Serialised across replicas with GET_LOCK so concurrent starts do not race. */
  async migrate(): Promise<number> {
    return this.#run(async () => {
      const conn = await this.#pool.getConnection();
      try {
        const [lock] = await conn.query<mysql.RowDataPacket[]>("SELECT GET_LOCK(?, 30) AS got", [MIGRATION_LOCK]);
        if (lock[0]?.got !== 1) throw new Error("could not take the migration lock within 30 s");
        try {
          await conn.query(SCHEMA_MIGRATIONS_MYSQL);
          const [rows] = await conn.query<mysql.RowDataPacket[]>("SELECT version FROM schema_migrations WHERE component = 'users'");
          const applied = new Set(rows.map((r) => Number(r.version)));
          let count = 0;
          for (const m of migrationsFor("users")) {
            if (applied.has(m.version)) continue;
            for (const sql of m.mysql) await conn.query(sql);
            await conn.query("INSERT IGNORE INTO schema_migrations (component, version, name) VALUES ('users', ?, ?)", [m.version, m.name]);
            count++;
          }
          return count;
        } finally {
          await conn.query("SELECT RELEASE_LOCK(?)", [MIGRATION_LOCK]);
        }
      } finally {
        conn.release();
      }
    });
  }

  async create(user: NewUser): Promise<User> {
    return this.#run(async () => {
      const [res] = await this.#pool.execute<mysql.ResultSetHeader>({
        sql: "INSERT INTO users (username, name, email, password_hash) VALUES (?, ?, ?, ?)",
        values: [user.username, user.name, user.email, user.passwordHash],
        timeout: this.#timeoutMs,
      });
      return { id: Number(res.insertId), username: user.username, name: user.name, email: user.email };
    });
  }

  async get(id: number): Promise<User | null> {
    return this.#run(async () => {
      const [rows] = await this.#pool.execute<mysql.RowDataPacket[]>({
        sql: "SELECT id, username, name, email FROM users WHERE id = ?",
        values: [id],
        timeout: this.#timeoutMs,
      });
      const row = rows[0] as UserRow | undefined;
      return row ? toUser(row) : null;
    });
  }

  async list(limit: number, afterId: number): Promise<User[]> {
    return this.#run(async () => {
      // LIMIT via query(): prepared-statement LIMIT placeholders are a known mysql2 pitfall.
      const [rows] = await this.#pool.query<mysql.RowDataPacket[]>({
        sql: `SELECT id, username, name, email FROM users WHERE id > ? ORDER BY id LIMIT ${Math.trunc(limit)}`,
        values: [afterId],
        timeout: this.#timeoutMs,
      });
      return (rows as UserRow[]).map(toUser);
    });
  }

  async delete(id: number): Promise<boolean> {
    return this.#run(async () => {
      const [res] = await this.#pool.execute<mysql.ResultSetHeader>({
        sql: "DELETE FROM users WHERE id = ?",
        values: [id],
        timeout: this.#timeoutMs,
      });
      return res.affectedRows > 0;
    });
  }

  async ping(): Promise<void> {
    await this.#run(async () => {
      await this.#pool.query({ sql: "SELECT 1", timeout: this.#timeoutMs });
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === "ER_DUP_ENTRY") {
        throw new ConflictError(/uq_users_email/.test(e.message ?? "") ? "email" : "username");
      }
      throw new UnavailableError("users", err);
    }
  }
}
