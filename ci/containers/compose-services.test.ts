import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("compose-services.py", import.meta.url).pathname;
const tmp = scratch("compose-services");
const services = { web: { build: { context: "." } }, hello: { build: {} }, mysql: { image: "mysql" }, grafana: {} };
/** The model file, written anew for each test (the scratch directory goes after each). */
const modelFile = () => tmp.write("compose.json", JSON.stringify({ services }));

describe("ci/containers/compose-services.py", () => {
  it("built: the services with a build section, sorted", async () => {
    const model = modelFile();
    expect(await python3([script, model, "built"])).toEqual({ code: 0, stdout: "hello\nweb\n", stderr: "" });
  });

  it("has: 0 with every name, 1 naming the missing ones", async () => {
    const model = modelFile();
    expect(await python3([script, model, "has", "mysql", "grafana"])).toMatchObject({ code: 0 });
    expect(await python3([script, model, "has", "grafana", "prometheus", "jaeger"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "the model lacks ['jaeger', 'prometheus']\n",
    });
  });

  it("bad input: a model that is not Compose's, a missing file, other arguments: exit 2", async () => {
    const model = modelFile();
    expect((await python3([script, tmp.write("bad.json", "[]"), "built"])).code).toBe(2);
    expect((await python3([script, tmp.path("none.json"), "built"])).code).toBe(2);
    expect(await python3([script, model, "has"])).toMatchObject({ code: 2 });
    expect((await python3([script, model, "built", "x"])).code).toBe(2);
    expect((await python3([script, model])).code).toBe(2);
  });
});
