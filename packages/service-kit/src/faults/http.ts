import type { FastifyInstance } from "fastify";
import type { FaultKind, FaultSwitch } from "./switch.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The fault the drill switch injected into this request, if any (the access log's `fault`). */
    fault?: FaultKind | undefined;
  }
}

/**
 * The fault switch on HTTP, through Fastify's onRequest hook (the route is known by then, the body
 * not yet read): a request its rule picks waits `latencyMs`, then goes on to its handler, or is
 * answered the rule's status with the kit's `{"error"}` body. Installed only when FAULTS_FILE is
 * set; with it unset no hook runs at all.
 */
export function installFaults(app: FastifyInstance, faults: FaultSwitch): void {
  app.decorateRequest("fault", undefined);
  app.addHook("onRequest", (request, reply, done) => {
    const route = request.routeOptions.url;
    const fault = route === undefined ? undefined : faults.http(request.method, route);
    if (fault === undefined) {
      done();
      return;
    }
    request.fault = fault.kind;
    const { status } = fault;
    // A hook that answers does not call done(): the handler never runs.
    const act = status === undefined ? () => done() : () => reply.code(status).send({ error: `injected fault: ${status} (drill)` });
    if (fault.latencyMs > 0) setTimeout(act, fault.latencyMs);
    else act();
  });
}
