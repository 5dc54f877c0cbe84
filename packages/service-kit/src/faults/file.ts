import { z } from "zod";

/** gRPC status codes by name (the gRPC spec's, fixed), OK excepted: a fault is never OK. */
export const GRPC_CODES = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;
export type GrpcCodeName = keyof typeof GRPC_CODES;

const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Longest latency a rule may add: below the shutdown grace, so a drill never stalls a rollout. */
export const MAX_LATENCY_MS = 15_000;
const MAX_RULES = 100;

/** One rule of the fault file. Strict: a misspelt field is refused, not ignored. */
export const faultRuleSchema = z
  .strictObject({
    service: z.string().min(1).optional().describe("Only this service applies the rule; unset: every service that reads the file."),
    route: z
      .string()
      .startsWith("/")
      .optional()
      .describe("HTTP: the route pattern as the service declares it (`/users/:id`), not a path (`/users/7`)."),
    method: z.enum(HTTP_METHODS).optional().describe("HTTP: only this method; unset: every method of the route."),
    grpcMethod: z
      .string()
      .regex(/^\/[A-Za-z_][\w.]*\/[A-Za-z_]\w*$/, "must be a full gRPC method name, /package.Service/Method")
      .optional()
      .describe("gRPC: the full method name, `/routeguide.RouteGuide/GetFeature`."),
    status: z.int().min(400).max(599).optional().describe("HTTP: answer this status (400-599) instead of the handler."),
    grpcCode: z
      .enum(Object.keys(GRPC_CODES) as [GrpcCodeName, ...GrpcCodeName[]])
      .optional()
      .describe("gRPC: end the call with this status code (`UNAVAILABLE`...) instead of the handler."),
    latencyMs: z.int().min(1).max(MAX_LATENCY_MS).optional().describe("Wait this long before the handler (or before the fault's answer)."),
    share: z.number().min(0).max(1).describe("The share of matching requests that get the fault, 0 to 1, drawn per request."),
  })
  .superRefine((rule, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (rule.route === undefined && rule.grpcMethod === undefined) problem("route", "name a `route` (HTTP) or a `grpcMethod` (gRPC)");
    else if (rule.route !== undefined && rule.grpcMethod !== undefined)
      problem("grpcMethod", "a rule names a `route` or a `grpcMethod`, not both");
    else if (rule.route !== undefined && rule.grpcCode !== undefined)
      problem("grpcCode", "an HTTP `route` takes a `status`, not a gRPC code");
    else if (rule.grpcMethod !== undefined) {
      if (rule.status !== undefined) problem("status", "a `grpcMethod` takes a `grpcCode`, not an HTTP status");
      if (rule.method !== undefined) problem("method", "`method` is for HTTP routes");
    }
    if (rule.status === undefined && rule.grpcCode === undefined && rule.latencyMs === undefined) {
      problem("latencyMs", "a rule needs a fault: `status` or `grpcCode`, `latencyMs`, or both");
    }
  });

export const faultFileSchema = z.strictObject({
  rules: z.array(faultRuleSchema).max(MAX_RULES).describe("Checked in order: the first rule that matches a request applies."),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;
export type FaultFile = z.infer<typeof faultFileSchema>;

/** A file's rules, or every reason it is refused (`rules[0].share: ...`), each naming its field. */
export type Parsed = { rules: FaultRule[]; problems?: undefined } | { rules?: undefined; problems: string[] };

/** Parses the fault file's text (JSON): all its problems at once, so one edit fixes them. */
export function parseFaultFile(text: string): Parsed {
  if (text.trim() === "") return { problems: ['the file is empty (no rules is {"rules": []}; removing the file turns faults off)'] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problems: [`not JSON: ${(error as Error).message}`] };
  }
  const result = faultFileSchema.safeParse(json);
  if (result.success) return { rules: result.data.rules };
  return {
    problems: result.error.issues.flatMap((issue) =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => `${fieldPath([...issue.path, key])}: unknown field`)
        : [`${fieldPath(issue.path) || "(file)"}: ${issue.message}`],
    ),
  };
}

/** `rules[0].share` from zod's path. */
function fieldPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}
