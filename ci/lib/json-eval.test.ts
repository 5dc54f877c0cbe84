import { describe, expect, it } from "vitest";
import { python3 } from "./python.ts";

const script = new URL("json-eval.py", import.meta.url).pathname;
const jsonEval = (input: string, ...args: string[]) => python3([script, ...args], input);

describe("ci/lib/json-eval.py", () => {
  const sample = JSON.stringify({ cpu: 0.1, ram: 12, seq: 4, images: { "flotilla/hello:ci": 3 } });

  it("exit 0 when the expression is true of the document (j)", async () => {
    expect(await jsonEval(sample, '"cpu" in j and "ram" in j')).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("j inside a generator's body too (tier containers' stats contract)", async () => {
    const expr = 'all(isinstance(j[k], (int, float)) and 0 <= j[k] <= 100 for k in ("ram", "cpu")) and j["seq"] >= 1';
    expect(await jsonEval(sample, expr)).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await jsonEval(sample, "any(j[k] > 100 for k in ('ram', 'cpu'))")).toMatchObject({ code: 1 });
  });

  it("exit 1 when it is false, naming the expression and the document", async () => {
    const run = await jsonEval(sample, "j['seq'] > 4");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("false: j['seq'] > 4 on {");
  });

  it("--print: the value as Python prints it, as the tiers compare it", async () => {
    expect(await jsonEval(sample, "j['seq']", "--print")).toMatchObject({ code: 0, stdout: "4\n" });
    expect(await jsonEval(sample, "list(j['images'])", "--print")).toMatchObject({ stdout: "['flotilla/hello:ci']\n" });
    expect(await jsonEval(sample, "j['images'].get('x', 0) > 0", "--print")).toMatchObject({ stdout: "False\n" });
  });

  it("bad input: not JSON, a failing expression or none, exit 2", async () => {
    expect(await jsonEval("<html>502 Bad Gateway</html>", "j['seq']")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("not JSON"),
    });
    expect(await jsonEval(sample, "j['nosuch']")).toMatchObject({ code: 2, stderr: expect.stringContaining("KeyError") });
    expect((await jsonEval(sample)).code).toBe(2);
  });
});
