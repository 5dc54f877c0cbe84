import { runService } from "@flotilla/service-kit";
import { buildApp } from "./app.ts";
import { configSchema } from "./config.ts";

await runService({ name: "store", schema: configSchema, build: (config) => buildApp(config) });
