import { runService } from "@flotilla/service-kit";
import { buildApp } from "./app.ts";
import { configSchema } from "./config.ts";

await runService({ name: "stats", schema: configSchema, build: buildApp });
