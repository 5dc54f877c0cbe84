import { createService, type Service } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import { BackendClient, isRetryable } from "./backend-client.ts";
import { backendHandlers } from "./backend-service.ts";
import { BackendStore } from "./backend-store.ts";
import type { Config } from "./config.ts";
import { loadFeatureDb } from "./feature-db.ts";
import { GrpcServer } from "./grpc-server.ts";
import { createGrpcServerMetrics } from "./grpc-telemetry.ts";
import type { Feature } from "./messages.ts";
import { BACKEND_SERVICE, protos, ROUTE_GUIDE_SERVICE } from "./protos.ts";
import { routeGuideHandlers } from "./route-guide-service.ts";
import { createSaveMetrics } from "./save-metrics.ts";
import { SaveQueue } from "./save-queue.ts";

export type RouteGuideApp = Service & {
  /** Bound gRPC ports (useful when configured as 0). */
  grpcPorts: { server?: number; backend?: number };
  saveQueue?: SaveQueue<Feature>;
};

/**
 * Builds the process for its mode: the backend (LMDB behind a gRPC API), the RouteGuide
 * server (which saves to the backend over gRPC), or both. The kit's HTTP side carries
 * /metrics, /healthz, /readyz and /openapi.json for either.
 */
export async function buildApp(config: Config, options: { logDestination?: DestinationStream } = {}): Promise<RouteGuideApp> {
  const service = await createService({ name: "routeguide", version: pkg.version, description: pkg.description, config, ...options });
  const log = service.log.child({ mode: config.ROUTEGUIDE_MODE });
  const grpcMetrics = createGrpcServerMetrics(service.metrics);
  const draining = () => service.health.shuttingDown;
  const serverTls =
    config.TLS_CERT_FILE && config.TLS_KEY_FILE
      ? { certFile: config.TLS_CERT_FILE, keyFile: config.TLS_KEY_FILE, clientCaFile: config.TLS_CLIENT_CA_FILE }
      : undefined;
  const common = {
    host: config.HOST,
    tls: serverTls,
    maxMessageBytes: config.GRPC_MAX_MESSAGE_BYTES,
    maxConnectionAgeMs: config.GRPC_MAX_CONNECTION_AGE_MS,
    log,
    metrics: grpcMetrics,
    draining,
    faults: service.faults.on ? service.faults : undefined,
  };
  service.decorate("grpcPorts", {} as RouteGuideApp["grpcPorts"]);
  service.decorate("saveQueue", undefined);
  const app = service as RouteGuideApp;
  // Shutdown steps in order (server before backend: its last saves and chats need it).
  const stops: Array<(remainingMs: () => number) => Promise<void>> = [];

  let backendAddress = config.BACKEND_ADDR;
  if (config.ROUTEGUIDE_MODE !== "server") {
    const store = new BackendStore(config.DATA_DIR);
    const backend = new GrpcServer({ ...common, role: "backend", port: config.BACKEND_PORT }, [
      {
        name: BACKEND_SERVICE,
        file: "backend",
        definition: protos().backend,
        handlers: backendHandlers(store, { notesHistoryLimit: config.NOTES_HISTORY_LIMIT, maxNoteBytes: config.MAX_NOTE_BYTES }),
      },
    ]);
    app.grpcPorts.backend = await backend.listen();
    app.health.addCheck("lmdb", () => store.check());
    backendAddress = `127.0.0.1:${app.grpcPorts.backend}`;
    log.info({ dataDir: config.DATA_DIR }, "LMDB store open");
    stops.push(async (remaining) => {
      await backend.shutdown(remaining());
      await store.close();
    });
  }

  if (config.ROUTEGUIDE_MODE !== "backend") {
    const features = loadFeatureDb(config.FEATURES_FILE);
    log.info({ features: features.features.length, file: config.FEATURES_FILE ?? "(shipped data set)" }, "features loaded");
    const useTls = config.BACKEND_TLS || Boolean(config.BACKEND_CA_FILE);
    const backendClient = new BackendClient({
      address: config.ROUTEGUIDE_MODE === "all" ? backendAddress : config.BACKEND_ADDR,
      tls: useTls ? { caFile: config.BACKEND_CA_FILE } : undefined,
      tlsServerName: config.BACKEND_TLS_SERVER_NAME,
    });
    const saveMetrics = createSaveMetrics(app.metrics, log);
    const saveQueue = new SaveQueue<Feature>({
      capacity: config.SAVE_QUEUE_CAPACITY,
      concurrency: config.SAVE_CONCURRENCY,
      maxAttempts: config.SAVE_MAX_ATTEMPTS,
      baseBackoffMs: config.SAVE_BACKOFF_BASE_MS,
      maxBackoffMs: config.SAVE_BACKOFF_MAX_MS,
      save: async (feature, signal) => {
        await backendClient.saveFeature(feature, config.SAVE_DEADLINE_MS, signal);
      },
      retryable: isRetryable,
      events: saveMetrics.events,
    });
    saveMetrics.watchDepth(() => saveQueue.waiting);
    app.saveQueue = saveQueue;

    const server = new GrpcServer({ ...common, role: "server", port: config.GRPC_PORT }, [
      {
        name: ROUTE_GUIDE_SERVICE,
        file: "routeGuide",
        definition: protos().routeGuide,
        handlers: routeGuideHandlers({
          features,
          backend: backendClient,
          saveFeature: (feature) => saveQueue.offer(feature),
          limits: {
            maxRoutePoints: config.MAX_ROUTE_POINTS,
            maxChatNotes: config.MAX_CHAT_NOTES,
            maxNoteBytes: config.MAX_NOTE_BYTES,
            notesHistoryLimit: config.NOTES_HISTORY_LIMIT,
            notesDeadlineMs: config.NOTES_DEADLINE_MS,
          },
          log,
          notesBackendFailed: saveMetrics.notesFailed,
        }),
      },
    ]);
    app.grpcPorts.server = await server.listen();
    stops.unshift(async (remaining) => {
      await server.shutdown(remaining());
      // Saves still queued get what is left of the grace period; the rest are counted as dropped.
      await saveQueue.close(remaining());
      backendClient.close();
    });
  }

  // gRPC drains alongside HTTP: both start when the kit closes its listener (after readiness
  // has already turned 503 and SHUTDOWN_DELAY_MS has passed), within one grace period.
  let stopped: Promise<void> | undefined;
  app.addHook("preClose", async () => {
    const deadline = Date.now() + config.SHUTDOWN_GRACE_MS;
    const remaining = () => Math.max(100, deadline - Date.now());
    stopped = (async () => {
      for (const stop of stops) await stop(remaining);
    })();
  });
  app.addHook("onClose", async () => {
    await stopped;
  });

  await app.ready();
  return app;
}
