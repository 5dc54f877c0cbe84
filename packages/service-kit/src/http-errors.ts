import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from "fastify";
import type { RouteTable } from "./route-table.ts";

/**
 * Every error leaves as `{"error": "..."}`. Client errors keep their message; server errors
 * are logged with their stack and leave as a generic message, so nothing internal leaks.
 */
export function installErrorHandlers(app: FastifyInstance, routes: RouteTable): void {
  app.setSchemaErrorFormatter((errors, context) =>
    // A path parameter that does not parse answers with its schema's own message ("Invalid user
    // ID"): it names the resource. Anything else lists every problem with where it is.
    context === "params"
      ? new Error(errors[0]?.message ?? "invalid path")
      : new Error(errors.map((e) => describeIssue(e, context)).join("; ")),
  );

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.code(status).send({ error: status === 503 ? error.message : "internal server error" });
    }
    return reply.code(status).send({ error: clientMessage(error) });
  });

  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?", 1)[0] ?? "/";
    // An unknown method on a known path is a 405 with `Allow`, not a 404.
    const allowed = routes.allowed(path, request.method);
    if (allowed.length > 0) {
      return reply
        .code(405)
        .header("allow", allowed.join(", "))
        .send({ error: `method ${request.method} not allowed on ${path}; allowed: ${allowed.join(", ")}` });
    }
    return reply.code(404).send({ error: `no route for ${request.method} ${path}` });
  };
  // Answered on arrival, before Fastify reads the body: a method no route has is a 405 (or 404)
  // whatever its body or Content-Type, never a 400 or 415 about a body nothing would read.
  app.addHook("onRequest", async (request, reply) => {
    if (request.is404) return notFound(request, reply);
  });
  app.setNotFoundHandler(notFound);
}

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
      return error.validation && error.validationContext !== "params" ? `invalid request: ${error.message}` : error.message;
  }
}

/** `body must have required property 'name'` for a missing field, else `body/email Invalid email address`. */
function describeIssue(issue: FastifySchemaValidationError, context: string): string {
  const path = issue.instancePath === "/" ? "" : issue.instancePath;
  if (issue.keyword === "invalid_type" && / received undefined$/.test(issue.message ?? "")) {
    const at = path.lastIndexOf("/");
    return `${context}${path.slice(0, at)} must have required property '${path.slice(at + 1)}'`;
  }
  return `${context}${path} ${issue.message}`;
}
