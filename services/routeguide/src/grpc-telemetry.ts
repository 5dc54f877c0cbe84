import type { FaultSwitch, Logger } from "@flotilla/service-kit";
import * as grpc from "@grpc/grpc-js";
import { Counter, Histogram, type Registry } from "prom-client";
import { faultCall } from "./grpc-faults.ts";

const CODE_NAMES = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name])) as Record<number, string>;

/** grpc-prometheus style RED metrics for every call a server handles. */
export interface GrpcServerMetrics {
  handled: Counter<"grpc_service" | "grpc_method" | "grpc_type" | "grpc_code">;
  seconds: Histogram<"grpc_service" | "grpc_method" | "grpc_type">;
}

export function createGrpcServerMetrics(registry: Registry): GrpcServerMetrics {
  // A process in "all" mode runs two gRPC servers on one registry: register the metrics once.
  const existing = registry.getSingleMetric("grpc_server_handled_total") as GrpcServerMetrics["handled"] | undefined;
  if (existing) {
    return { handled: existing, seconds: registry.getSingleMetric("grpc_server_handling_seconds") as GrpcServerMetrics["seconds"] };
  }
  return {
    handled: new Counter({
      name: "grpc_server_handled_total",
      help: "gRPC calls completed on the server, by service, method, type and status code.",
      labelNames: ["grpc_service", "grpc_method", "grpc_type", "grpc_code"] as const,
      registers: [registry],
    }),
    seconds: new Histogram({
      name: "grpc_server_handling_seconds",
      help: "Time from the start of a gRPC call to its status, by service, method and type.",
      labelNames: ["grpc_service", "grpc_method", "grpc_type"] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

function callType(method: grpc.ServerMethodDefinition<unknown, unknown>): string {
  if (method.requestStream) return method.responseStream ? "bidi_stream" : "client_stream";
  return method.responseStream ? "server_stream" : "unary";
}

/**
 * One interceptor for metrics and the per-call JSON log line (the gRPC twin of the kit's
 * per-request HTTP log). A call ends either with a status or with a client cancel. With the kit's
 * fault switch on (FAULTS_FILE), a call it picks gets its fault inside this one (grpc-faults.ts),
 * and its line says so (`fault`), as the kit's access log does.
 */
export function telemetryInterceptor(metrics: GrpcServerMetrics, log: Logger, faults?: FaultSwitch): grpc.ServerInterceptor {
  return (method, call) => {
    const [, service = "unknown", name = "unknown"] = method.path.split("/");
    const type = callType(method);
    const started = performance.now();
    const fault = faults?.grpc(method.path);
    let finished = false;
    const finish = (code: number, details?: string) => {
      if (finished) return;
      finished = true;
      const seconds = (performance.now() - started) / 1000;
      const codeName = CODE_NAMES[code] ?? String(code);
      metrics.handled.inc({ grpc_service: service, grpc_method: name, grpc_type: type, grpc_code: codeName });
      metrics.seconds.observe({ grpc_service: service, grpc_method: name, grpc_type: type }, seconds);
      const line = {
        grpcService: service,
        grpcMethod: name,
        grpcCode: codeName,
        durationMs: Math.round(seconds * 100_000) / 100,
        peer: call.getPeer(),
        ...(fault && { fault: fault.kind }),
      };
      if (code === grpc.status.OK || code === grpc.status.CANCELLED) log.info(line, "grpc call");
      else log.warn({ ...line, details }, "grpc call");
    };
    const observed = new grpc.ServerInterceptingCall(call, {
      start: (next) => next({ onCancel: () => finish(grpc.status.CANCELLED) }),
      sendStatus: (status, next) => {
        finish(status.code ?? grpc.status.UNKNOWN, status.details);
        next(status);
      },
    });
    return fault ? faultCall(fault, observed) : observed;
  };
}
