import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify, { type FastifyInstance, type RawServerDefault } from "fastify";
import fp from "fastify-plugin";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { Registry } from "prom-client";
import { AccessLog } from "./access-log.ts";
import { dropMisnamedDefaultGauges } from "./default-metric-names.ts";
import { declareKitErrors } from "./error-responses.ts";
import { installFaults } from "./faults/http.ts";
import { FaultSwitch } from "./faults/switch.ts";
import { Health } from "./health.ts";
import { installErrorHandlers } from "./http-errors.ts";
import { installLoadShedding } from "./load-shedding.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createHttpMetrics, installHttpMetrics } from "./metrics.ts";
import { installOpenApi } from "./openapi.ts";
import { installProbes } from "./probes.ts";
import { installReadinessMetrics } from "./readiness-metrics.ts";
import { requestId, SECURITY_HEADERS } from "./request-context.ts";
import { RouteTable, type ServedRoute } from "./route-table.ts";
import { installShutdown } from "./shutdown.ts";

/** The configuration keys the kit itself reads (see commonEnv). */
export interface KitConfig {
  PORT: number;
  HOST: string;
  LOG_LEVEL: string;
  SHUTDOWN_GRACE_MS: number;
  SHUTDOWN_DELAY_MS: number;
  BODY_LIMIT_BYTES: number;
  MAX_EVENT_LOOP_DELAY_MS: number;
  MAX_HEAP_USED_BYTES: number;
  FAULTS_FILE?: string | undefined;
}

export interface KitOptions {
  name: string;
  version: string;
  /** One sentence for the OpenAPI document. */
  description?: string;
  config: KitConfig;
}

export interface ServiceOptions extends KitOptions {
  /** Where logs go; stdout by default. Tests pass a stream to read them. */
  logDestination?: DestinationStream;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Readiness checks (`/readyz`): `app.health.addCheck(name, fn)`. */
    health: Health;
    /** The service's Prometheus registry (`/metrics`): register the service's own metrics on it. */
    metrics: Registry;
    /** The name and version the kit was registered with (logs, the OpenAPI document). */
    serviceInfo: { name: string; version: string };
    /** Every route (method and pattern) the service answers, HEAD and the kit's own included. */
    servedRoutes(): readonly ServedRoute[];
    /** The fault switch for drills (FAULTS_FILE): HTTP is wired by the kit; a gRPC server asks `faults.grpc(path)`. */
    faults: FaultSwitch;
    /** SIGTERM's road to `close()`: readiness 503, SHUTDOWN_DELAY_MS, then drain within SHUTDOWN_GRACE_MS. */
    shutdown(): Promise<void>;
  }
}

/** A Flotilla service: a Fastify instance with the kit registered and zod as its type provider. */
export type Service = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse<IncomingMessage>, Logger, ZodTypeProvider>;

/**
 * The kit as a Fastify plugin (not encapsulated: it decorates and hooks the app it is registered
 * on): zod validation and serialisation, JSON errors, request ids and security headers, RED
 * metrics, `/healthz` `/readyz` `/metrics` `/openapi.json`, load shedding and the graceful
 * shutdown. Register it before the service's routes, so the OpenAPI document sees them all.
 */
export const kit = fp<KitOptions>(
  async (app, options) => {
    const { config } = options;
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    const routeTable = new RouteTable(app);
    app.decorate("servedRoutes", () => routeTable.routes);
    declareKitErrors(app);

    const health = new Health();
    const metrics = createHttpMetrics(options.name);
    dropMisnamedDefaultGauges(metrics.registry);
    installReadinessMetrics(metrics.registry, health);
    app.decorate("serviceInfo", { name: options.name, version: options.version });
    app.decorate("health", health);
    app.decorate("metrics", metrics.registry);
    const faults = new FaultSwitch({
      service: options.name,
      file: config.FAULTS_FILE,
      log: app.log as Logger,
      registry: metrics.registry,
      servedRoutes: () => routeTable.routes,
    });
    app.decorate("faults", faults);

    app.addHook("onRequest", (request, reply, done) => {
      reply.headers(SECURITY_HEADERS);
      reply.header("x-request-id", request.id);
      // Ask keep-alive clients to reconnect (to another replica) once shutdown has begun.
      if (health.shuttingDown) reply.header("connection", "close");
      done();
    });
    // After the headers above: a 404 or 405 answered on arrival carries them too.
    installErrorHandlers(app, routeTable);
    if (faults.on) {
      installFaults(app, faults);
      // Read once every route is declared, so a rule naming a route the service lacks is reported.
      app.addHook("onReady", async () => faults.start());
      app.addHook("onClose", async () => faults.stop());
    }

    await installOpenApi(app, { title: options.name, version: options.version, description: options.description });
    await installLoadShedding(app, { maxEventLoopDelayMs: config.MAX_EVENT_LOOP_DELAY_MS, maxHeapUsedBytes: config.MAX_HEAP_USED_BYTES });
    installHttpMetrics(app, metrics);
    installProbes(app, health);
    installShutdown(app, health, { delayMs: config.SHUTDOWN_DELAY_MS, graceMs: config.SHUTDOWN_GRACE_MS });
  },
  { name: "flotilla-kit", fastify: "5.x" },
);

/**
 * A Fastify instance with the server options only the constructor can set (logger, access log,
 * request ids, body limit, drain behaviour), and the kit registered.
 */
export async function createService(options: ServiceOptions): Promise<Service> {
  const { config } = options;
  const app = Fastify({
    loggerInstance: createLogger(options.name, config.LOG_LEVEL, options.logDestination),
    logController: new AccessLog(),
    genReqId: requestId,
    bodyLimit: config.BODY_LIMIT_BYTES,
    // During shutdown, requests that still arrive on open connections are served (and their
    // connection closed), not refused: refusing would fail requests a client already sent.
    return503OnClosing: false,
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: true },
    // A "__proto__" or "constructor.prototype" key is valid JSON that a document allowing extra
    // properties admits: drop the key (no prototype pollution) instead of refusing the request as
    // invalid JSON, which contradicted the documents (schemathesis, tier api).
    onProtoPoisoning: "remove",
    onConstructorPoisoning: "remove",
  }).withTypeProvider<ZodTypeProvider>();
  await app.register(kit, options);
  return app;
}
