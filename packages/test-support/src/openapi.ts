import { compileErrors, validate } from "@readme/openapi-parser";

interface Document {
  paths?: Record<string, Record<string, unknown>>;
}

const METHODS = new Set(["get", "head", "post", "put", "patch", "delete", "options", "trace"]);

/** `GET /users/{id}` for each operation of an OpenAPI document, sorted. */
export function documentedRoutes(doc: Document): string[] {
  return Object.entries(doc.paths ?? {})
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.has(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/** `GET /users/{id}` for a Fastify route `GET /users/:id`. */
export function routeKey(route: { method: string; url: string }): string {
  return `${route.method.toUpperCase()} ${route.url.replace(/:(\w+)/g, "{$1}")}`;
}

/** What differs between the routes a service serves and those its document lists (empty: none). */
export function undocumentedOrMissing(doc: Document, served: ReadonlyArray<{ method: string; url: string }>): string[] {
  const documented = new Set(documentedRoutes(doc));
  const actual = new Set(served.map(routeKey));
  return [
    ...[...actual].filter((r) => !documented.has(r)).map((r) => `served but not documented: ${r}`),
    ...[...documented].filter((r) => !actual.has(r)).map((r) => `documented but not served: ${r}`),
  ].sort();
}

/** Problems a maintained validator (@readme/openapi-parser: the OpenAPI 3.1 schema plus its own rules) finds. */
export async function openApiProblems(doc: object): Promise<string[]> {
  // validate() dereferences in place: give it a copy.
  const result = await validate(structuredClone(doc) as never);
  return result.valid ? [] : [compileErrors(result)];
}
