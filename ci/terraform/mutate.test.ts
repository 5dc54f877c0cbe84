import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("mutate.py", import.meta.url).pathname;
const tmp = scratch("mutate");
const file = (name: string, text: string) => tmp.write(name, text);

describe("ci/terraform/mutate.py", () => {
  it("drop-lock-hashes keeps the version pin, drops the checksums", async () => {
    const lock = file(
      "lock.hcl",
      'provider "registry.opentofu.org/hashicorp/aws" {\n  version = "6.48.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}\n',
    );
    expect(await python3([script, "drop-lock-hashes", lock])).toMatchObject({ code: 0 });
    expect(readFileSync(lock, "utf8")).toBe('provider "registry.opentofu.org/hashicorp/aws" {\n  version = "6.48.0"\n}\n');
  });

  it("bump-port makes the first member's port differ", async () => {
    const fleet = file(
      "fleet.json",
      JSON.stringify([
        { name: "hello", port: 8090 },
        { name: "stats", port: 8080 },
      ]),
    );
    expect(await python3([script, "bump-port", fleet])).toMatchObject({ code: 0 });
    expect(JSON.parse(readFileSync(fleet, "utf8"))).toEqual([
      { name: "hello", port: 8091 },
      { name: "stats", port: 8080 },
    ]);
  });

  it("grant-everything rewrites every inline role policy, in child modules too; none is an error", async () => {
    const policy = (p: string) => ({ type: "aws_iam_role_policy", values: { policy: p } });
    const plan = { planned_values: { root_module: { resources: [policy("a")], child_modules: [{ resources: [policy("b")] }] } } };
    const input = file("plan.json", JSON.stringify(plan));
    const out = tmp.path("out.json");
    expect(await python3([script, "grant-everything", input, out])).toMatchObject({ code: 0 });
    const root = JSON.parse(readFileSync(out, "utf8")).planned_values.root_module;
    for (const p of [root.resources[0], root.child_modules[0].resources[0]]) {
      expect(JSON.parse(p.values.policy).Statement).toEqual([{ Effect: "Allow", Action: "*", Resource: "*" }]);
    }
    const none = { planned_values: { root_module: { resources: [] } } };
    expect(await python3([script, "grant-everything", file("none.json", JSON.stringify(none)), out])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no aws_iam_role_policy"),
    });
  });
});
