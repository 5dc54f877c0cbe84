import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import FindMyWay, { type HTTPMethod } from "find-my-way";

/**
 * Every error leaves as `{"error": "..."}`. Client errors keep their message; server errors
 * are logged with their stack and leave as a generic message, so nothing internal leaks.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.code(status).send({ error: status === 503 ? error.message : "internal server error" });
    }
    return reply.code(status).send({ error: clientMessage(error) });
  });

  // A second router that knows every route of every method, so an unknown method on a known
  // path is a 405 with `Allow`, not a 404.
  const routes = FindMyWay({ ignoreTrailingSlash: true }); // as the app router (kit.ts)
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (!routes.hasRoute(method as HTTPMethod, route.url)) routes.on(method as HTTPMethod, route.url, () => {});
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?", 1)[0] ?? "/";
    const allowed = ALL_METHODS.filter((method) => method !== request.method && routes.find(method, path));
    if (allowed.length > 0) {
      return reply
        .code(405)
        .header("allow", allowed.join(", "))
        .send({ error: `method ${request.method} not allowed on ${path}; allowed: ${allowed.join(", ")}` });
    }
    return reply.code(404).send({ error: `no route for ${request.method} ${path}` });
  });
}

const ALL_METHODS: HTTPMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return "request body too large";
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return `unsupported content type: ${error.message.replace(/^Unsupported Media Type:?\s*/i, "") || "unknown"}`;
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "request body is empty but content-type is application/json";
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return "request body is not valid JSON";
    default:
      return error.validation ? `invalid request: ${error.message}` : error.message;
  }
}
