export { freePort } from "./free-port.ts";
export { documentedRoutes, openApiProblems, routeKey, undocumentedOrMissing } from "./openapi.ts";
export { type StartedService, type StartOptions, startService } from "./start-service.ts";
export { type WaitOptions, waitFor, waitForHttp } from "./wait-for.ts";
