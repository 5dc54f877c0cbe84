import { runService } from "@flotilla/service-kit";
import { buildApp } from "./app.ts";
import { configSchema } from "./config.ts";

await runService({ name: "routeguide", schema: configSchema, build: (config) => buildApp(config) });
