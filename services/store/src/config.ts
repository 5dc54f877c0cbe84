import { commonEnv, intVar, z } from "@flotilla/service-kit";

// A database is used for real when its *_HOST is set; otherwise the embedded backend runs.
// Every *_PASSWORD may also come from *_PASSWORD_FILE (Docker/Kubernetes secrets).
export const configSchema = z.object({
  ...commonEnv({ port: 8080 }),
  MYSQL_HOST: z.string().optional().describe("MySQL/MariaDB host for users. Unset: embedded SQLite."),
  MYSQL_PORT: intVar(1, 65535, 3306).describe("MySQL port."),
  MYSQL_USER: z.string().default("store").describe("MySQL user."),
  MYSQL_PASSWORD: z.string().default("").describe("MySQL password."),
  MYSQL_DB_NAME: z.string().min(1).max(64).default("flotilla").describe("MySQL database (must exist)."),
  MYSQL_POOL_SIZE: intVar(1, 200, 10).describe("MySQL connection pool size per replica."),
  MONGO_HOST: z.string().optional().describe("MongoDB host for posts. Unset: embedded SQLite."),
  MONGO_PORT: intVar(1, 65535, 27017).describe("MongoDB port."),
  MONGO_USER: z.string().default("").describe("MongoDB user; empty connects without authentication."),
  MONGO_PASSWORD: z.string().default("").describe("MongoDB password."),
  MONGO_DB_NAME: z.string().min(1).max(64).default("flotilla").describe("MongoDB database."),
  MONGO_AUTH_SOURCE: z.string().min(1).default("admin").describe("MongoDB database that holds the user."),
  REDIS_HOST: z.string().optional().describe("Redis host for sessions and the users cache. Unset: in-memory TTL map."),
  REDIS_PORT: intVar(1, 65535, 6379).describe("Redis port."),
  REDIS_PASSWORD: z.string().default("").describe("Redis password (AUTH); empty for none."),
  REDIS_DB: intVar(0, 15, 0).describe("Redis logical database."),
  DB_TIMEOUT_MS: intVar(100, 60_000, 2000).describe(
    "Connect/command timeout for every database: bounds how long a request waits before 503 during an outage.",
  ),
  SQLITE_PATH: z
    .string()
    .min(1)
    .default(":memory:")
    .describe("Embedded SQLite database for users and posts: `:memory:` or a file path (e.g. under /tmp)."),
  SESSION_MAX_ENTRIES: intVar(1, 10_000_000, 100_000).describe(
    "Embedded session/cache map size bound; the oldest write is evicted beyond it.",
  ),
  BCRYPT_COST: intVar(4, 15, 10).describe("bcrypt cost factor for password hashes (2^cost rounds)."),
  USER_CACHE_TTL_SECONDS: intVar(0, 86_400, 300).describe("Lifetime of a cached `GET /users/:id` answer in Redis; 0 disables the cache."),
  SESSION_DEFAULT_TTL_SECONDS: intVar(1, 31_536_000, 3600).describe("Session TTL when a request gives none."),
  SESSION_MAX_TTL_SECONDS: intVar(1, 31_536_000, 604_800).describe("Largest session TTL a request may ask for."),
  PAGE_SIZE_DEFAULT: intVar(1, 1000, 100).describe("Items per page of `GET /users` and `GET /posts` without `limit`."),
  PAGE_SIZE_MAX: intVar(1, 10_000, 1000).describe("Largest `limit` accepted on list endpoints."),
  MIGRATE_ON_START: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true")
    .describe("Apply schema migrations at start (`false` when a Kubernetes Job runs `node src/migrate.ts`)."),
  MIGRATION_RETRY_MS: intVar(100, 600_000, 5000).describe(
    "While a database is unreachable at start, retry its migrations this often (the service runs, not ready).",
  ),
  MIGRATE_WAIT_MS: intVar(0, 600_000, 60_000).describe(
    "How long `node src/migrate.ts` (the migration Job) retries a database it cannot reach yet (refused, timed out, not resolved); other errors fail at once.",
  ),
});

export type Config = z.infer<typeof configSchema>;
