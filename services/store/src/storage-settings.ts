import type { Config } from "./config.ts";
import type { StorageSettings } from "./storage/open-stores.ts";

/** Maps configuration to backends: a set *_HOST means the real server. */
export function storageSettings(c: Config): StorageSettings {
  return {
    sqlitePath: c.SQLITE_PATH,
    sessionMaxEntries: c.SESSION_MAX_ENTRIES,
    mysql: c.MYSQL_HOST
      ? {
          host: c.MYSQL_HOST,
          port: c.MYSQL_PORT,
          user: c.MYSQL_USER,
          password: c.MYSQL_PASSWORD,
          database: c.MYSQL_DB_NAME,
          connectionLimit: c.MYSQL_POOL_SIZE,
          timeoutMs: c.DB_TIMEOUT_MS,
        }
      : null,
    mongo: c.MONGO_HOST
      ? {
          host: c.MONGO_HOST,
          port: c.MONGO_PORT,
          user: c.MONGO_USER,
          password: c.MONGO_PASSWORD,
          database: c.MONGO_DB_NAME,
          authSource: c.MONGO_AUTH_SOURCE,
          timeoutMs: c.DB_TIMEOUT_MS,
        }
      : null,
    redis: c.REDIS_HOST
      ? { host: c.REDIS_HOST, port: c.REDIS_PORT, password: c.REDIS_PASSWORD, db: c.REDIS_DB, timeoutMs: c.DB_TIMEOUT_MS }
      : null,
  };
}
