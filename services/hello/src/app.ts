import { createService, type Service } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import type { Config } from "./config.ts";
import { MessageSource } from "./messages.ts";
import { headersRoutes } from "./routes/headers.ts";
import { helloRoutes } from "./routes/hello.ts";
import { rootRoutes } from "./routes/root.ts";
import { ScratchStore, scratchRoutes } from "./routes/scratch.ts";
import { servedBy } from "./served-by.ts";

export async function buildApp(config: Config, options: { logDestination?: DestinationStream } = {}): Promise<Service> {
  const app = await createService({ name: "hello", version: pkg.version, description: pkg.description, config, ...options });

  const messages = new MessageSource({
    initial: config.MESSAGES,
    file: config.MESSAGES_FILE,
    reloadMs: config.MESSAGES_RELOAD_MS,
    log: app.log,
  });
  await messages.start();
  app.addHook("onClose", async () => messages.stop());

  const scratch = new ScratchStore(config.TMPDIR);
  app.health.addCheck("tmpdir", () => scratch.check());

  await app.register(rootRoutes, { messages, served: servedBy(config, pkg.version) });
  await app.register(helloRoutes);
  await app.register(headersRoutes);
  await app.register(scratchRoutes, { store: scratch, maxBytes: config.SCRATCH_MAX_BYTES });
  await app.ready();
  return app;
}
