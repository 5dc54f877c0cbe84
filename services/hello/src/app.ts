import { createKit, type Kit } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import type { Config } from "./config.ts";
import { MessageSource } from "./messages.ts";
import { headersRoute } from "./routes/headers.ts";
import { helloRoute } from "./routes/hello.ts";
import { rootRoute } from "./routes/root.ts";
import { ScratchStore, scratchRoutes } from "./routes/scratch.ts";
import { servedBy } from "./served-by.ts";

export async function buildApp(config: Config, options: { logDestination?: DestinationStream } = {}): Promise<Kit> {
  const kit = await createKit({ name: "hello", version: pkg.version, config, ...options });

  const messages = new MessageSource({
    initial: config.MESSAGES,
    file: config.MESSAGES_FILE,
    reloadMs: config.MESSAGES_RELOAD_MS,
    log: kit.log,
  });
  await messages.start();
  kit.onClose(() => messages.stop());

  const scratch = new ScratchStore(config.TMPDIR);
  kit.health.addCheck("tmpdir", () => scratch.check());

  rootRoute(kit.app, messages, servedBy(config, pkg.version));
  helloRoute(kit.app);
  headersRoute(kit.app);
  scratchRoutes(kit.app, scratch, config.SCRATCH_MAX_BYTES);
  await kit.app.ready();
  return kit;
}
