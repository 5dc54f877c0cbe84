/**
 * `node src/migrate.ts`: apply the schema migrations and exit (0 done, 1 failed, 78 bad config).
 * For a Kubernetes Job / Helm pre-upgrade hook, with MIGRATE_ON_START=false on the Deployment.
 * Same configuration as the service; embedded SQLite `:memory:` has nothing to migrate ahead.
 * A database it cannot reach yet is retried every MIGRATION_RETRY_MS for up to MIGRATE_WAIT_MS.
 */
import { ConfigError, loadConfig } from "@flotilla/service-kit";
import { configSchema } from "./config.ts";
import { closeStores, openStores } from "./storage/open-stores.ts";
import { storageSettings } from "./storage-settings.ts";

let config: ReturnType<typeof loadConfig<typeof configSchema>>;
try {
  config = loadConfig(configSchema);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(err.format("store-migrate"));
    process.exit(78);
  }
  throw err;
}

// Errors that mean "not reachable yet" (the database starting, a NetworkPolicy not yet programmed
// for this new pod, a Service without endpoints): retried until MIGRATE_WAIT_MS. Anything else (a
// wrong password, a failed statement) fails at once.
const UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
function unreachable(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE.has(code)) return true;
    if (e.name === "MongoServerSelectionError" || e.name === "MongoNetworkError") return true;
  }
  return false;
}

const line = (fields: Record<string, unknown>) => `${JSON.stringify(fields)}\n`;
const stores = openStores(storageSettings(config));
const deadline = Date.now() + config.MIGRATE_WAIT_MS;
let code = 0;
for (const [name, store] of [
  ["users", stores.users],
  ["posts", stores.posts],
] as const) {
  for (let attempt = 1; ; attempt++) {
    try {
      const applied = await store.migrate();
      process.stdout.write(line({ msg: "migrations applied", database: name, backend: store.backend, applied, attempt }));
      break;
    } catch (err) {
      const cause = (err as Error).cause ?? err;
      const retry = unreachable(err) && Date.now() + config.MIGRATION_RETRY_MS <= deadline;
      const msg = retry ? "database unreachable; retrying" : "migrations failed";
      process.stderr.write(line({ msg, database: name, backend: store.backend, attempt, error: String(cause) }));
      if (!retry) {
        code = 1;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, config.MIGRATION_RETRY_MS));
    }
  }
}
await closeStores(stores);
process.exit(code);
