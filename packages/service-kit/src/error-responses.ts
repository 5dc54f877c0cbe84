import type { FastifyInstance, RouteOptions } from "fastify";
import { errorSchema } from "./error-schema.ts";

// Methods whose body Fastify reads (a GET or HEAD body is never parsed).
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY"]);

/** Why the kit answers each error status, for the OpenAPI document. */
const KIT_ERRORS = {
  400: "invalid request (parameters, headers or body); the message names every problem",
  404: "nothing exists under this path",
  413: "request body larger than BODY_LIMIT_BYTES",
  415: "unsupported Content-Type",
  503: "unavailable: overloaded (load shedding, with Retry-After) or a dependency of this route is down",
} as const;

/** The error statuses the kit itself can answer on this route: 429 never (the kit has no rate limit). */
export function kitErrorStatuses(route: Pick<RouteOptions, "method" | "url" | "schema" | "config">): Array<keyof typeof KIT_ERRORS> {
  const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
  const hasBody = methods.some((m) => BODY_METHODS.has(m));
  const schema = route.schema ?? {};
  const validates = Boolean(schema.params || schema.querystring || schema.headers || schema.body);
  const shed = !(route.config as { pressureHandler?: unknown } | undefined)?.pressureHandler;
  return [
    ...(validates || hasBody ? [400 as const] : []),
    ...(/[:*]/.test(route.url) ? [404 as const] : []),
    ...(hasBody ? [413 as const, 415 as const] : []),
    ...(shed ? [503 as const] : []),
  ];
}

/**
 * Declares, on every route as it is added, the `{"error": "..."}` answers the kit gives (invalid
 * input, unknown resource, body too large or of an unknown type, load shedding), unless the route
 * declares that status itself: services list only the errors of their own. The one declaration
 * serialises those answers and documents them (openapi.ts writes every error as JSON).
 */
export function declareKitErrors(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    const statuses = kitErrorStatuses(route);
    if (statuses.length === 0) return;
    const schema = (route.schema ??= {});
    const response = (schema.response ??= {}) as Record<string, unknown>;
    for (const status of statuses) response[status] ??= errorSchema.describe(KIT_ERRORS[status]);
  });
}
