import { commonEnv, intVar, z } from "@flotilla/service-kit";

const optionalPath = z.string().optional();
const bool = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((value) => value === "true" || value === "1");

/**
 * The kit's PORT/HOST serve the HTTP side (/metrics, /healthz, /readyz); the gRPC ports are
 * GRPC_PORT (server) and BACKEND_PORT (backend). Declared once; the README table is generated.
 */
export const configSchema = z
  .object({
    ...commonEnv({ port: 9464 }),
    ROUTEGUIDE_MODE: z
      .enum(["all", "server", "backend"])
      .default("all")
      .describe(
        "`server`: the RouteGuide gRPC server; `backend`: the LMDB persistence backend; `all`: both in one process (local use, `npm start`).",
      ),
    GRPC_PORT: intVar(0, 65535, 8888).describe("Port of the RouteGuide gRPC server (server/all mode). 0 picks a free port."),
    BACKEND_PORT: intVar(0, 65535, 9999).describe("Port the backend's gRPC service listens on (backend/all mode). 0 picks a free port."),
    BACKEND_ADDR: z
      .string()
      .min(1)
      .default("127.0.0.1:9999")
      .describe("Where the server reaches the backend (`host:port`). In `all` mode the local backend's port is used."),
    BACKEND_TLS: bool.describe("Server side: dial the backend over TLS (system roots unless `BACKEND_CA_FILE`)."),
    BACKEND_CA_FILE: optionalPath.describe("Server side: CA bundle that signs the backend's certificate; implies `BACKEND_TLS`."),
    BACKEND_TLS_SERVER_NAME: optionalPath.describe(
      "Server side: name to verify in the backend's certificate when it differs from the host in `BACKEND_ADDR`.",
    ),
    TLS_CERT_FILE: optionalPath.describe("PEM certificate chain: serve gRPC over TLS (needs `TLS_KEY_FILE`). Unset: plaintext."),
    TLS_KEY_FILE: optionalPath.describe("PEM private key of `TLS_CERT_FILE`."),
    TLS_CLIENT_CA_FILE: optionalPath.describe("When set, gRPC clients must present a certificate signed by this CA (mutual TLS)."),
    FEATURES_FILE: optionalPath.describe(
      "JSON file of features (canonical `route_guide_db.json` shape). Unset: the data set shipped in `data/features.json`.",
    ),
    DATA_DIR: z.string().min(1).default("/tmp/flotilla-routeguide").describe("Backend: LMDB directory. Mount a volume here."),
    SAVE_QUEUE_CAPACITY: intVar(1, 1_000_000, 10_000).describe(
      "Server: features waiting to be saved; beyond it new ones are dropped (and counted).",
    ),
    SAVE_CONCURRENCY: intVar(1, 256, 8).describe("Server: feature saves in flight at once."),
    SAVE_DEADLINE_MS: intVar(10, 60_000, 1_000).describe("Server: deadline of each save attempt."),
    SAVE_MAX_ATTEMPTS: intVar(1, 20, 5).describe("Server: attempts per feature before it counts as failed."),
    SAVE_BACKOFF_BASE_MS: intVar(1, 60_000, 100).describe("Server: first retry waits up to this long (exponential backoff, full jitter)."),
    SAVE_BACKOFF_MAX_MS: intVar(1, 600_000, 5_000).describe("Server: longest wait between retries."),
    NOTES_DEADLINE_MS: intVar(10, 60_000, 1_000).describe("Server: deadline of each backend call RouteChat makes."),
    NOTES_HISTORY_LIMIT: intVar(1, 10_000, 100).describe("Most earlier notes replayed per location (the newest)."),
    MAX_ROUTE_POINTS: intVar(1, 10_000_000, 100_000).describe("Most points one RecordRoute stream may send."),
    MAX_CHAT_NOTES: intVar(1, 10_000_000, 10_000).describe("Most notes one RouteChat stream may send."),
    MAX_NOTE_BYTES: intVar(1, 65_536, 1_024).describe("Longest route note message in bytes (UTF-8)."),
    GRPC_MAX_MESSAGE_BYTES: intVar(1_024, 16 * 1024 * 1024, 64 * 1024).describe("Largest gRPC message accepted or sent."),
    GRPC_MAX_CONNECTION_AGE_MS: intVar(1_000, 86_400_000, 300_000).describe(
      "Connections are closed (gracefully) after this long, so long-lived gRPC clients rebalance over new replicas.",
    ),
  })
  .superRefine((config, ctx) => {
    if (Boolean(config.TLS_CERT_FILE) !== Boolean(config.TLS_KEY_FILE)) {
      ctx.addIssue({
        code: "custom",
        path: [config.TLS_CERT_FILE ? "TLS_KEY_FILE" : "TLS_CERT_FILE"],
        message: "TLS_CERT_FILE and TLS_KEY_FILE go together",
      });
    }
    if (config.TLS_CLIENT_CA_FILE && !config.TLS_CERT_FILE) {
      ctx.addIssue({ code: "custom", path: ["TLS_CLIENT_CA_FILE"], message: "mutual TLS needs TLS_CERT_FILE and TLS_KEY_FILE" });
    }
    if (config.SAVE_BACKOFF_BASE_MS > config.SAVE_BACKOFF_MAX_MS) {
      ctx.addIssue({ code: "custom", path: ["SAVE_BACKOFF_BASE_MS"], message: "must not exceed SAVE_BACKOFF_MAX_MS" });
    }
  });

export type Config = z.infer<typeof configSchema>;
