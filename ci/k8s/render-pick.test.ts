import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("render-pick.py", import.meta.url).pathname;
const render = `---
kind: HorizontalPodAutoscaler
metadata: {name: flotilla-web}
---
kind: HorizontalPodAutoscaler
metadata: {name: flotilla-hello}
---
kind: Pod
metadata: {name: flotilla-test}
spec:
  containers:
    - command: [/usr/local/bin/node, --input-type=module, -e]
      args: ["console.log('probe')"]
`;
const tmp = scratch("render-pick");
function files(text = render): { input: string; out: string } {
  return { input: tmp.write("in.yaml", text), out: tmp.path("out.yaml") };
}

describe("ci/k8s/render-pick.py", () => {
  it("drop: the named object goes, the rest stays", async () => {
    const { input, out } = files();
    expect(await python3([script, "drop", input, out, "HorizontalPodAutoscaler", "-web"])).toMatchObject({ code: 0 });
    const left = readFileSync(out, "utf8");
    expect(left).not.toContain("flotilla-web");
    expect(left).toContain("flotilla-hello");
    expect(left).toContain("flotilla-test");
  });

  it("drop: nothing to drop is an error, so a control cannot pass vacuously", async () => {
    const { input, out } = files();
    expect(await python3([script, "drop", input, out, "HorizontalPodAutoscaler", "-stats"])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no HorizontalPodAutoscaler named *-stats"),
    });
  });

  it("hook-script: the node script of the helm test Pod; none, or not node, is an error", async () => {
    expect(await python3([script, "hook-script", files().input])).toEqual({ code: 0, stdout: "console.log('probe')\n", stderr: "" });
    expect(await python3([script, "hook-script", files(render.replace("/usr/local/bin/node", "/bin/sh")).input])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("does not run node"),
    });
    expect(await python3([script, "hook-script", files(render.split("---\nkind: Pod")[0]).input])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no helm test Pod"),
    });
  });
});
