import { type FaultSwitch, ListenError, type Logger } from "@flotilla/service-kit";
import * as grpc from "@grpc/grpc-js";
import type { GrpcServerMetrics } from "./grpc-telemetry.ts";
import { telemetryInterceptor } from "./grpc-telemetry.ts";
import { HealthService } from "./health-service.ts";
import { type ProtoFile, protos } from "./protos.ts";
import { addReflection } from "./reflection.ts";
import { type ServerTlsFiles, serverCredentials } from "./tls.ts";

export interface GrpcServiceSpec {
  /** Fully qualified name, e.g. routeguide.RouteGuide (the health entry's key). */
  name: string;
  /** The .proto that defines it, for reflection. */
  file: ProtoFile;
  definition: grpc.ServiceDefinition;
  handlers: grpc.UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  role: "server" | "backend";
  host: string;
  port: number;
  tls?: ServerTlsFiles;
  maxMessageBytes: number;
  /** Connections are recycled after this long so clients rebalance across new replicas. */
  maxConnectionAgeMs: number;
  log: Logger;
  metrics: GrpcServerMetrics;
  /** True once the process is shutting down (health answers NOT_SERVING from then on). */
  draining?: () => boolean;
  /** The kit's fault switch when FAULTS_FILE is set (drills): rules name a `grpcMethod`. */
  faults?: FaultSwitch | undefined;
}

/** A grpc-js server with health, reflection, telemetry and a graceful shutdown. */
export class GrpcServer {
  readonly health: HealthService;
  readonly #server: grpc.Server;
  readonly #options: GrpcServerOptions;
  #port = 0;
  #stopping: Promise<void> | undefined;

  constructor(options: GrpcServerOptions, services: GrpcServiceSpec[]) {
    this.#options = options;
    // grpc-js writes its own diagnostics to stderr as plain text; keep every line JSON.
    grpc.setLogger({ error: (...args: unknown[]) => options.log.warn({ grpc: args.map(String).join(" ") }, "grpc-js diagnostic") });
    this.#server = new grpc.Server({
      interceptors: [telemetryInterceptor(options.metrics, options.log.child({ grpcServer: options.role }), options.faults)],
      "grpc.max_receive_message_length": options.maxMessageBytes,
      "grpc.max_send_message_length": options.maxMessageBytes,
      "grpc.max_connection_age_ms": options.maxConnectionAgeMs,
      "grpc.max_connection_age_grace_ms": 30_000,
    });
    this.health = new HealthService(
      services.map((s) => s.name),
      options.draining,
    );
    for (const service of services) this.#server.addService(service.definition, service.handlers);
    this.#server.addService(protos().health, this.health.handlers());
    addReflection(
      this.#server,
      services.map((s) => s.file),
    );
  }

  get port(): number {
    return this.#port;
  }

  async listen(): Promise<number> {
    const { host, port, tls, log, role } = this.#options;
    // IPv6 literals need brackets in a gRPC target.
    const address = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    this.#port = await new Promise<number>((resolve, reject) => {
      // A port in use is the kit's one-line "cannot listen on" error, like the HTTP port's.
      this.#server.bindAsync(address, serverCredentials(tls), (error, bound) =>
        error ? reject(new ListenError(address, error)) : resolve(bound),
      );
    });
    log.info({ role, address: `${host}:${this.#port}`, tls: Boolean(tls), mtls: Boolean(tls?.clientCaFile) }, `gRPC ${role} listening`);
    return this.#port;
  }

  /**
   * Health turns NOT_SERVING, no new calls are accepted, in-flight calls (streams included)
   * get `graceMs` to finish, then the rest are cancelled.
   */
  shutdown(graceMs: number): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve) => {
      const { log, role } = this.#options;
      this.health.shutdown();
      this.health.endWatches();
      const timer = setTimeout(() => {
        log.warn({ role, graceMs }, "gRPC grace period over: cancelling remaining calls");
        this.#server.forceShutdown();
        resolve();
      }, graceMs);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        log.info({ role }, "gRPC server drained");
        resolve();
      });
    });
    return this.#stopping;
  }
}
