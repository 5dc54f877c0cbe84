import { describe, expect, it } from "vitest";
import { python3 } from "./python.ts";
import { scratch } from "./scratch.ts";

const script = new URL("report-counts.py", import.meta.url).pathname;
const tmp = scratch("report-counts-test");
const report = (name: string, content: object | string) => tmp.write(name, typeof content === "string" ? content : JSON.stringify(content));

describe("ci/lib/report-counts.py", () => {
  it("vitest: passed and failed tests; a run without tests is one failure", async () => {
    const ran = report("v.json", { numPassedTests: 40, numFailedTests: 2, numTotalTests: 42 });
    expect(await python3([script, "vitest", ran])).toEqual({ code: 0, stdout: "40 2\n", stderr: "" });
    const none = report("none.json", { numPassedTests: 0, numFailedTests: 0, numTotalTests: 0 });
    expect(await python3([script, "vitest", none])).toMatchObject({ code: 0, stdout: "0 1\n" });
  });

  it("counts: the browser script's passed and failed", async () => {
    expect(await python3([script, "counts", report("c.json", { passed: 7, failed: 0 })])).toMatchObject({ code: 0, stdout: "7 0\n" });
  });

  it("a missing or broken report: 0 1 for vitest (it did not run), 0 0 for counts; exit 1 saying why", async () => {
    const missing = await python3([script, "vitest", tmp.path("missing.json")]);
    expect(missing).toMatchObject({ code: 1, stdout: "0 1\n" });
    expect(missing.stderr).toContain("missing.json: FileNotFoundError");
    expect(await python3([script, "counts", report("broken.json", "{")])).toMatchObject({ code: 1, stdout: "0 0\n" });
    expect(await python3([script, "counts", report("other.json", { ok: true })])).toMatchObject({ code: 1, stdout: "0 0\n" });
  });

  it("bad arguments: usage, exit 2", async () => {
    for (const args of [[], ["vitest"], ["junit", "f"]]) expect((await python3([script, ...args])).code).toBe(2);
  });
});
