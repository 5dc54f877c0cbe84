import { compileErrors, validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";

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

/**
 * Problems maintained validators find: @readme/openapi-parser (the OpenAPI 3.1 schema plus its own
 * rules) and, for every Schema Object, Ajv against JSON Schema 2020-12's meta-schema, the dialect
 * OpenAPI 3.1 mandates; the parser leaves Schema Objects unchecked (a draft-07 tuple
 * `items: [...]` passes it).
 */
export async function openApiProblems(doc: object): Promise<string[]> {
  // validate() dereferences in place: give it a copy.
  const result = await validate(structuredClone(doc) as never);
  return [...(result.valid ? [] : [compileErrors(result)]), ...schemaObjectProblems(doc)];
}

const metaSchema = new Ajv2020({ strict: false, validateFormats: false });

/** Each Schema Object (under a `schema` key or in components.schemas) that is not valid JSON Schema 2020-12. */
function schemaObjectProblems(doc: object): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: string, isSchema: boolean) => {
    if (isSchema) {
      if (!metaSchema.validateSchema(node as object)) problems.push(`${path}: ${metaSchema.errorsText(metaSchema.errors)}`);
      return; // a schema's own subschemas are checked by the meta-schema
    }
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      const at = `${path}/${key}`;
      if (key === "schema") visit(value, at, true);
      else if (at === "#/components/schemas") for (const [name, s] of Object.entries(value ?? {})) visit(s, `${at}/${name}`, true);
      else visit(value, at, false);
    }
  };
  visit(doc, "#", false);
  return problems;
}
