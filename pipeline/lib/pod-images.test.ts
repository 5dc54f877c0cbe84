import { describe, expect, it } from "vitest";
import { python3, scratchDir } from "./test-helpers.ts";

const script = new URL("pod-images.py", import.meta.url).pathname;
const { file } = scratchDir("pod-images");
const a = "sha256:aaaa";
const b = "sha256:bbbb";
const pod = (imageIDs: string[], deleting = false) => ({
  metadata: deleting ? { deletionTimestamp: "2026-12-07T16:00:00Z" } : {},
  status: { containerStatuses: imageIDs.map((imageID) => ({ imageID })) },
});
const pods = { items: [pod([`registry:5000/flotilla/hello@${a}`]), pod([`registry:5000/flotilla/hello@${a}`]), pod([`x@${b}`], true)] };

describe("pipeline/lib/pod-images.py", () => {
  it("digests: each image's digest once, pods being deleted left out", async () => {
    expect(await python3([script, "digests", file("pods.json", pods)])).toEqual({ code: 0, stdout: `${a}\n`, stderr: "" });
  });

  it("digests from stdin, as tier delivery pipes kubectl into it", async () => {
    const both = { items: [pod([`x@${b}`]), pod([`x@${a}`])] };
    expect(await python3([script, "digests", "-"], JSON.stringify(both))).toMatchObject({ stdout: `${a}\n${b}\n` });
  });

  it("runs: 0 when every container runs the digest; 1 naming another image, or with no container", async () => {
    expect(await python3([script, "runs", file("pods.json", pods), a])).toMatchObject({ code: 0 });
    const mixed = { items: [...pods.items, pod([`x@${b}`])] };
    expect(await python3([script, "runs", file("mixed.json", mixed), a])).toEqual({ code: 1, stdout: "", stderr: `a pod runs x@${b}\n` });
    expect(await python3([script, "runs", file("none.json", { items: [] }), a])).toMatchObject({ code: 1 });
  });

  it("bad input: not a pod list (kubectl's error), other arguments: exit 2", async () => {
    expect(await python3([script, "runs", file("err.json", "error: the server doesn't have a resource type"), a])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("not a pod list"),
    });
    expect((await python3([script, "digests", file("obj.json", [1, 2])])).code).toBe(2);
    expect((await python3([script, "runs", file("p.json", pods)])).code).toBe(2);
    expect((await python3([script, "images", file("p.json", pods)])).code).toBe(2);
  });
});
