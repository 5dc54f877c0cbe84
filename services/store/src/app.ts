import { createService, type Service } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import type { Config } from "./config.ts";
import { MigrationGate } from "./migration-gate.ts";
import { greetingRoutes } from "./routes/greeting.ts";
import { postsRoutes } from "./routes/posts.ts";
import { sessionsRoutes } from "./routes/sessions.ts";
import { usersRoutes } from "./routes/users.ts";
import { closeStores, openStores, type Stores } from "./storage/open-stores.ts";
import { storageSettings } from "./storage-settings.ts";
import { UserCache } from "./user-cache.ts";

export interface BuildOptions {
  logDestination?: DestinationStream;
  /** Tests inject stores (e.g. one whose database "goes down"); default: chosen from config. */
  stores?: Stores;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Service> {
  const app = await createService({
    name: "store",
    version: pkg.version,
    description: pkg.description,
    config,
    logDestination: options.logDestination,
  });
  const stores = options.stores ?? openStores(storageSettings(config));
  app.log.info({ users: stores.users.backend, posts: stores.posts.backend, sessions: stores.kv.backend }, "storage backends");

  const gate = (name: string, migrate: () => Promise<number>) =>
    new MigrationGate({ name, migrate, log: app.log, retryMs: config.MIGRATION_RETRY_MS, enabled: config.MIGRATE_ON_START });
  const usersGate = gate("users", () => stores.users.migrate());
  const postsGate = gate("posts", () => stores.posts.migrate());
  await Promise.all([usersGate.start(), postsGate.start()]);
  app.addHook("onClose", async () => {
    usersGate.stop();
    postsGate.stop();
    await closeStores(stores);
  });

  // One readiness check per database: /readyz names the one that is down.
  app.health.addCheck("users", async () => {
    usersGate.assertReady();
    await stores.users.ping();
  });
  app.health.addCheck("posts", async () => {
    postsGate.assertReady();
    await stores.posts.ping();
  });
  app.health.addCheck("sessions", () => stores.kv.ping());

  const cache = new UserCache({ kv: stores.kv, ttlSeconds: config.USER_CACHE_TTL_SECONDS, log: app.log, metrics: app.metrics });
  const pages = { pageSizeDefault: config.PAGE_SIZE_DEFAULT, pageSizeMax: config.PAGE_SIZE_MAX };

  await app.register(greetingRoutes);
  await app.register(usersRoutes, { users: stores.users, cache, gate: usersGate, bcryptCost: config.BCRYPT_COST, ...pages });
  await app.register(postsRoutes, { posts: stores.posts, gate: postsGate, ...pages });
  await app.register(sessionsRoutes, {
    kv: stores.kv,
    defaultTtlSeconds: Math.min(config.SESSION_DEFAULT_TTL_SECONDS, config.SESSION_MAX_TTL_SECONDS),
    maxTtlSeconds: config.SESSION_MAX_TTL_SECONDS,
  });
  await app.ready();
  return app;
}
