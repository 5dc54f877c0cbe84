import * as grpc from "@grpc/grpc-js";

export type ServingStatus = "SERVING" | "NOT_SERVING";

/**
 * grpc.health.v1.Health (what Kubernetes' native gRPC probes and grpc_health_probe call).
 * "" is the whole server; each application service has its own entry. Implemented here rather
 * than with grpc-health-check because that package reads its .proto from its own folder at
 * import time, which a single-file bundle does not have.
 */
export class HealthService {
  readonly #statuses = new Map<string, ServingStatus>();
  readonly #watchers = new Map<string, Set<(status: string) => void>>();
  readonly #watchCalls = new Set<grpc.ServerWritableStream<unknown, unknown>>();

  readonly #draining: () => boolean;

  /** `draining` turns every answer NOT_SERVING as soon as the process starts shutting down. */
  constructor(services: string[], draining: () => boolean = () => false) {
    this.#draining = draining;
    for (const name of ["", ...services]) this.#statuses.set(name, "SERVING");
  }

  set(service: string, status: ServingStatus): void {
    this.#statuses.set(service, status);
    for (const notify of this.#watchers.get(service) ?? []) notify(status);
  }

  /** Every entry NOT_SERVING: the first step of a graceful shutdown. */
  shutdown(): void {
    for (const name of this.#statuses.keys()) this.set(name, "NOT_SERVING");
  }

  handlers(): grpc.UntypedServiceImplementation {
    return {
      Check: (call: grpc.ServerUnaryCall<{ service: string }, { status: string }>, callback: grpc.sendUnaryData<{ status: string }>) => {
        const status = this.#statuses.get(call.request.service);
        if (!status) callback({ code: grpc.status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
        else callback(null, { status: this.#draining() ? "NOT_SERVING" : status });
      },
      Watch: (call: grpc.ServerWritableStream<{ service: string }, { status: string }>) => {
        const service = call.request.service;
        const notify = (status: string) => call.write({ status });
        notify(this.#statuses.get(service) ?? "SERVICE_UNKNOWN");
        let watchers = this.#watchers.get(service);
        if (!watchers) this.#watchers.set(service, (watchers = new Set()));
        watchers.add(notify);
        this.#watchCalls.add(call);
        call.on("cancelled", () => {
          watchers.delete(notify);
          this.#watchCalls.delete(call);
        });
      },
    };
  }

  /** Ends open Watch streams so a graceful shutdown is not held up by them. */
  endWatches(): void {
    this.#watchers.clear();
    for (const call of this.#watchCalls) call.end();
    this.#watchCalls.clear();
  }
}
