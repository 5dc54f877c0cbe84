import { describe, expect, it } from "vitest";
import { python3 } from "./test-helpers.ts";

const script = new URL("json-get.py", import.meta.url).pathname;
/** python3 json-get.py ARGS with INPUT on stdin, as the scripts pipe a document into it. */
const jsonGet = (input: string, ...args: string[]) => python3([script, ...args], input);

describe("pipeline/lib/json-get.py", () => {
  const history = JSON.stringify([
    { revision: 1, status: "superseded" },
    { revision: 2, status: "deployed" },
  ]);

  it("a key of an object: a string as it is", async () => {
    expect(await jsonGet('{"dockerfile": "deploy/docker/node-service.Dockerfile"}', "dockerfile")).toEqual({
      code: 0,
      stdout: "deploy/docker/node-service.Dockerfile\n",
      stderr: "",
    });
  });

  it("an index of a list, negative from the end; a number as JSON", async () => {
    expect(await jsonGet(history, "-1", "revision")).toMatchObject({ code: 0, stdout: "2\n" });
    expect(await jsonGet(history, "0", "status")).toMatchObject({ code: 0, stdout: "superseded\n" });
  });

  it("--len: the length; --default: the value when the path is missing", async () => {
    expect(await jsonGet('{"components": [{}, {}, {}]}', "--len", "--default", "0", "components")).toMatchObject({ stdout: "3\n" });
    expect(await jsonGet('{"bomFormat": "CycloneDX"}', "--len", "--default", "0", "components")).toMatchObject({ code: 0, stdout: "0\n" });
  });

  it("a missing key: exit 1 naming the path", async () => {
    expect(await jsonGet(history, "-1", "nosuch")).toEqual({ code: 1, stdout: "", stderr: "json-get: no -1.nosuch in the document\n" });
    expect(await jsonGet("[]", "-1", "revision")).toMatchObject({ code: 1 });
  });

  it("bad input: not JSON, or no key, exit 2", async () => {
    expect(await jsonGet("Error: release: not found", "-1", "revision")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("stdin is not JSON"),
    });
    expect((await jsonGet("{}")).code).toBe(2);
    expect((await jsonGet("{}", "--default")).code).toBe(2);
  });
});
