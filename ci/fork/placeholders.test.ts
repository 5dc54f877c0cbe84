import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("placeholders.py", import.meta.url).pathname;
const tmp = scratch("placeholders");
const settings = (value: object) => tmp.write("fork.json", JSON.stringify(value));

describe("ci/fork/placeholders.py", () => {
  it("joins fork.json's upstream patterns into one regex, and lists its skips as pathspecs", async () => {
    const path = settings({ upstream: ["a\\.example\\.com", "b"], skip: ["LICENSE", "docs/x.md"] });
    expect(await python3([script, "pattern", path])).toEqual({ code: 0, stdout: "(?:a\\.example\\.com)|(?:b)\n", stderr: "" });
    expect(await python3([script, "skip", path])).toEqual({ code: 0, stdout: ":!LICENSE\n:!docs/x.md\n", stderr: "" });
  });

  it("no upstream patterns is an error: a grep for nothing would pass vacuously", async () => {
    expect(await python3([script, "pattern", settings({ upstream: [] })])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("lists no upstream placeholder patterns"),
    });
  });
});
