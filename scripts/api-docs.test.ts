import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openApiProblems, undocumentedOrMissing } from "@flotilla/test-support";
import { describe, expect, it } from "vitest";
import { buildMember, documentOf, serialise } from "./api-docs.ts";
import { readRegistry, root } from "./registry.ts";

// Every kit service of the registry: its /openapi.json lists every route it answers and nothing
// else, a maintained validator accepts it, and docs/api/ holds it as served.
describe.each(readRegistry().filter((m) => m.openapi))("OpenAPI document of $name", (member) => {
  it("lists exactly the routes the service answers, is valid OpenAPI 3.1, and is committed as served", async () => {
    const { app, dispose } = await buildMember(member);
    try {
      const doc = await documentOf(app);
      expect(undocumentedOrMissing(doc, app.servedRoutes())).toEqual([]);
      expect(await openApiProblems(doc)).toEqual([]);
      expect(readFileSync(join(root, member.openapi as string), "utf8")).toBe(serialise(doc));
    } finally {
      await dispose();
    }
  });
});

describe("the checks can fail (negative controls)", () => {
  it("a route missing from the document, or documented but not served, is reported", () => {
    const doc = { paths: { "/a": { get: {} }, "/gone/{id}": { delete: {} } } };
    expect(
      undocumentedOrMissing(doc, [
        { method: "GET", url: "/a" },
        { method: "POST", url: "/b/:id" },
      ]),
    ).toEqual(["documented but not served: DELETE /gone/{id}", "served but not documented: POST /b/{id}"]);
  });

  it("a copy of stats' document with loadAverage in the draft-07 tuple form (items: [...]) is rejected", async () => {
    const doc = JSON.parse(readFileSync(join(root, "docs/api/stats.json"), "utf8"));
    const text = JSON.stringify(doc);
    const tuple = '"prefixItems":[{"type":"number"},{"type":"number"},{"type":"number"}],"items":false';
    expect(text).toContain(tuple);
    const draft07 = JSON.parse(text.replaceAll(tuple, '"items":[{"type":"number"},{"type":"number"},{"type":"number"}]'));
    expect(await openApiProblems(doc)).toEqual([]);
    expect((await openApiProblems(draft07)).join()).toMatch(/items/);
  });

  it("an invalid document is rejected by the validator", async () => {
    const problems = await openApiProblems({ openapi: "3.1.0", info: { title: "x" }, paths: { "no-slash": {} } });
    expect(problems.join()).toMatch(/version|paths/);
  });
});
