import { createKit, type Kit } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import type { Config } from "./config.ts";
import { MigrationGate } from "./migration-gate.ts";
import { greetingRoute } from "./routes/greeting.ts";
import { postRoutes } from "./routes/posts.ts";
import { sessionRoutes } from "./routes/sessions.ts";
import { userRoutes } from "./routes/users.ts";
import { closeStores, openStores, type Stores } from "./storage/open-stores.ts";
import { storageSettings } from "./storage-settings.ts";
import { UserCache } from "./user-cache.ts";

export interface BuildOptions {
  logDestination?: DestinationStream;
  /** Tests inject stores (e.g. one whose database "goes down"); default: chosen from config. */
  stores?: Stores;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Kit> {
  const kit = await createKit({ name: "store", version: pkg.version, config, logDestination: options.logDestination });
  const stores = options.stores ?? openStores(storageSettings(config));
  kit.log.info({ users: stores.users.backend, posts: stores.posts.backend, sessions: stores.kv.backend }, "storage backends");

  const gate = (name: string, migrate: () => Promise<number>) =>
    new MigrationGate({ name, migrate, log: kit.log, retryMs: config.MIGRATION_RETRY_MS, enabled: config.MIGRATE_ON_START });
  const usersGate = gate("users", () => stores.users.migrate());
  const postsGate = gate("posts", () => stores.posts.migrate());
  await Promise.all([usersGate.start(), postsGate.start()]);
  kit.onClose(async () => {
    usersGate.stop();
    postsGate.stop();
    await closeStores(stores);
  });

  // One readiness check per database: /readyz names the one that is down.
  kit.health.addCheck("users", async () => {
    usersGate.assertReady();
    await stores.users.ping();
  });
  kit.health.addCheck("posts", async () => {
    postsGate.assertReady();
    await stores.posts.ping();
  });
  kit.health.addCheck("sessions", () => stores.kv.ping());

  const cache = new UserCache({ kv: stores.kv, ttlSeconds: config.USER_CACHE_TTL_SECONDS, log: kit.log, metrics: kit.metrics });
  const pages = { pageSizeDefault: config.PAGE_SIZE_DEFAULT, pageSizeMax: config.PAGE_SIZE_MAX };

  greetingRoute(kit.app);
  await kit.app.register(userRoutes, { users: stores.users, cache, gate: usersGate, bcryptCost: config.BCRYPT_COST, ...pages });
  await kit.app.register(postRoutes, { posts: stores.posts, gate: postsGate, ...pages });
  await kit.app.register(sessionRoutes, {
    kv: stores.kv,
    defaultTtlSeconds: Math.min(config.SESSION_DEFAULT_TTL_SECONDS, config.SESSION_MAX_TTL_SECONDS),
    maxTtlSeconds: config.SESSION_MAX_TTL_SECONDS,
  });
  await kit.app.ready();
  return kit;
}
