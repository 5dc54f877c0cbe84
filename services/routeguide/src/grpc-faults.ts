import type { Injection } from "@flotilla/service-kit";
import * as grpc from "@grpc/grpc-js";

/**
 * A call the kit's fault switch picked (`app.faults.grpc(path)`, FAULTS_FILE): its handler starts
 * `latencyMs` late, or never, the call ending with the rule's code instead. It wraps the telemetry's
 * call (grpc-telemetry.ts), so grpc_server_* and the `grpc call` line see the fault's code and the
 * time it added. Messages that arrive meanwhile wait in grpc-js's interceptor until the handler
 * starts; a call cancelled meanwhile ends there.
 */
export function faultCall(fault: Injection, call: grpc.ServerInterceptingCallInterface): grpc.ServerInterceptingCall {
  let timer: NodeJS.Timeout | undefined;
  const code = fault.grpcCode;
  return new grpc.ServerInterceptingCall(call, {
    start: (next) =>
      next({
        onReceiveMetadata: (metadata, forward) => {
          const act = code === undefined ? () => forward(metadata) : () => call.sendStatus({ code, details: "injected fault (drill)" });
          if (fault.latencyMs > 0) timer = setTimeout(act, fault.latencyMs);
          else act();
        },
        onCancel: () => clearTimeout(timer),
      }),
  });
}
