import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("groovylint-findings.py", import.meta.url).pathname;
const tmp = scratch("groovylint-findings");
// npm-groovy-lint names each file by its absolute path; the tier passes them as it linted them
const report = {
  files: {
    [resolve("Jenkinsfile")]: { errors: [] },
    [resolve("negative/lint-error.groovy")]: {
      errors: [
        { severity: "warning", rule: "EmptyCatchBlock", line: 4, msg: "empty" },
        { severity: "info", rule: "CompileStatic" },
      ],
    },
  },
};

describe("ci/pipelines/groovylint-findings.py", () => {
  it("nothing for a clean file", async () => {
    expect(await python3([script, tmp.write("r.json", JSON.stringify(report)), "Jenkinsfile"])).toEqual({
      code: 0,
      stdout: "",
      stderr: "",
    });
  });

  it("one line per finding, named as given", async () => {
    expect(await python3([script, tmp.write("r.json", JSON.stringify(report)), "Jenkinsfile", "negative/lint-error.groovy"])).toEqual({
      code: 0,
      stdout: "negative/lint-error.groovy: warning EmptyCatchBlock (line 4)\nnegative/lint-error.groovy: info CompileStatic (line None)\n",
      stderr: "",
    });
  });

  it("bad input: a file the report does not hold, a report that is not one, no file: exit 2", async () => {
    expect((await python3([script, tmp.write("r.json", JSON.stringify(report)), "vars/notLinted.groovy"])).code).toBe(2);
    expect((await python3([script, tmp.write("bad.json", "npm-groovy-lint: java not found"), "Jenkinsfile"])).code).toBe(2);
    expect((await python3([script, tmp.write("r.json", JSON.stringify(report))])).code).toBe(2);
  });
});
