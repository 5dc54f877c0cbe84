export type { FastifyPluginAsyncZod as Routes } from "fastify-type-provider-zod";
export { z } from "zod";
export {
  ConfigError,
  type ConfigProblem,
  commonEnv,
  configTable,
  type Env,
  intVar,
  isSecretName,
  listVar,
  loadConfig,
} from "./config.ts";
export { errorSchema } from "./error-schema.ts";
export { type FaultFile, type FaultRule, faultFileSchema, GRPC_CODES, parseFaultFile } from "./faults/file.ts";
export { type FaultKind, FaultSwitch, type Injection } from "./faults/switch.ts";
export { Health, type ReadinessCheck, type ReadinessReport } from "./health.ts";
export { createService, type KitConfig, type KitOptions, kit, type Service, type ServiceOptions } from "./kit.ts";
export { RETRY_AFTER_SECONDS } from "./load-shedding.ts";
export { createLogger, type Logger } from "./logger.ts";
export { SECURITY_HEADERS } from "./request-context.ts";
export type { ServedRoute } from "./route-table.ts";
export { ListenError, type RunOptions, runService } from "./run-service.ts";
export { type FileRead, WatchedFile, type WatchedFileOptions } from "./watched-file.ts";
