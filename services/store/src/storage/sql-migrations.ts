/**
 * Versioned schema migrations for the SQL backends. Each entry is applied once, in order, and
 * recorded in `schema_migrations (component, version)`; statements are idempotent as well
 * (IF NOT EXISTS) so a crash between a statement and its record is harmless on rerun.
 * Append new versions; never edit an applied one.
 */
export interface SqlMigration {
  component: "users" | "posts";
  version: number;
  name: string;
  mysql: string[];
  sqlite: string[];
}

export const SCHEMA_MIGRATIONS_MYSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  component VARCHAR(32) NOT NULL,
  version INT NOT NULL,
  name VARCHAR(200) NOT NULL,
  applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (component, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

export const SCHEMA_MIGRATIONS_SQLITE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  component TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (component, version)
)`;

export const sqlMigrations: SqlMigration[] = [
  {
    component: "users",
    version: 1,
    name: "create users",
    // Case-insensitive uniqueness on both backends (utf8mb4_unicode_ci exists in MySQL 8 and MariaDB).
    mysql: [
      `CREATE TABLE IF NOT EXISTS users (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        username VARCHAR(50) NOT NULL,
        name VARCHAR(100) NOT NULL,
        email VARCHAR(100) NOT NULL,
        password_hash VARCHAR(255) NOT NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_users_username (username),
        UNIQUE KEY uq_users_email (email)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
    ],
    sqlite: [
      `CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL,
        email TEXT NOT NULL COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        CONSTRAINT uq_users_username UNIQUE (username),
        CONSTRAINT uq_users_email UNIQUE (email)
      )`,
    ],
  },
  {
    component: "posts",
    version: 1,
    name: "create posts (embedded backend only; MongoDB has its own migrations)",
    mysql: [],
    sqlite: [
      `CREATE TABLE IF NOT EXISTS posts (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      )`,
    ],
  },
];

export function migrationsFor(component: SqlMigration["component"]): SqlMigration[] {
  return sqlMigrations.filter((m) => m.component === component).sort((a, b) => a.version - b.version);
}
