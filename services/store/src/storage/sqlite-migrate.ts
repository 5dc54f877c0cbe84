import type { DatabaseSync } from "node:sqlite";
import { migrationsFor, SCHEMA_MIGRATIONS_SQLITE, type SqlMigration } from "./sql-migrations.ts";

/** Applies pending migrations of one component inside one IMMEDIATE transaction each. */
export function migrateSqlite(db: DatabaseSync, component: SqlMigration["component"]): number {
  db.exec(SCHEMA_MIGRATIONS_SQLITE);
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations WHERE component = ?").all(component) as { version: number }[]).map((r) => r.version),
  );
  let count = 0;
  for (const m of migrationsFor(component)) {
    if (applied.has(m.version)) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      for (const sql of m.sqlite) db.exec(sql);
      db.prepare("INSERT OR IGNORE INTO schema_migrations (component, version, name) VALUES (?, ?, ?)").run(component, m.version, m.name);
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
    count++;
  }
  return count;
}

/** Opens pragmas every embedded connection wants: WAL for file databases, a busy timeout. */
export function tuneSqlite(db: DatabaseSync, path: string): void {
  if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA busy_timeout = 5000");
}
