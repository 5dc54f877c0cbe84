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
export { Health, type ReadinessCheck, type ReadinessReport } from "./health.ts";
export { createKit, type Kit, type KitConfig, type KitOptions } from "./kit.ts";
export { createLogger, type Logger } from "./logger.ts";
export { type RunOptions, runService } from "./run-service.ts";
