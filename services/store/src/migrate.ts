/**
 * `node src/migrate.ts`: apply the schema migrations and exit (0 done, 1 failed, 78 bad config).
 * For a Kubernetes Job / Helm pre-upgrade hook, with MIGRATE_ON_START=false on the Deployment.
 * Same configuration as the service; embedded SQLite `:memory:` has nothing to migrate ahead.
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

const stores = openStores(storageSettings(config));
let code = 0;
for (const [name, store] of [
  ["users", stores.users],
  ["posts", stores.posts],
] as const) {
  try {
    const applied = await store.migrate();
    process.stdout.write(`${JSON.stringify({ msg: "migrations applied", database: name, backend: store.backend, applied })}\n`);
  } catch (err) {
    const cause = (err as Error).cause ?? err;
    process.stderr.write(`${JSON.stringify({ msg: "migrations failed", database: name, backend: store.backend, error: String(cause) })}\n`);
    code = 1;
  }
}
await closeStores(stores);
process.exit(code);
