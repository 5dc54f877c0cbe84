import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { python3, scratchDir } from "./test-helpers.ts";

const script = new URL("image-layers.py", import.meta.url).pathname;
const { dir, file } = scratchDir("image-layers");

/** An unpacked `docker save` archive (manifest.json, the config) with LAYERS: [path, diff ID]. */
function archive(name: string, layers: [string, string][]): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "config.json"), JSON.stringify({ rootfs: { type: "layers", diff_ids: layers.map(([, id]) => id) } }));
  writeFileSync(join(root, "manifest.json"), JSON.stringify([{ Config: "config.json", Layers: layers.map(([path]) => path) }]));
  return root;
}
const layers: [string, string][] = [
  ["blobs/sha256/aa", "sha256:base1"],
  ["blobs/sha256/bb", "sha256:base2"],
  ["blobs/sha256/cc", "sha256:app"],
];

describe("pipeline/lib/image-layers.py", () => {
  it("the layers the build added: those whose diff ID the base does not have, in order", async () => {
    writeFileSync(join(dir, "base-layers"), "sha256:base1\nsha256:base2\n");
    expect(await python3([script, archive("img", layers), join(dir, "base-layers")])).toEqual({
      code: 0,
      stdout: "blobs/sha256/cc\n",
      stderr: "",
    });
  });

  it("every layer when there is no base list (FROM scratch)", async () => {
    expect(await python3([script, archive("img", layers), join(dir, "none")])).toMatchObject({
      stdout: "blobs/sha256/aa\nblobs/sha256/bb\nblobs/sha256/cc\n",
    });
  });

  it("bad input: no manifest, a manifest naming no config, other arguments: exit 2", async () => {
    mkdirSync(join(dir, "empty"), { recursive: true });
    expect(await python3([script, join(dir, "empty"), join(dir, "none")])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("not an image archive"),
    });
    const root = archive("noconfig", layers);
    writeFileSync(join(root, "manifest.json"), JSON.stringify([{ Layers: [] }]));
    expect((await python3([script, root, join(dir, "none")])).code).toBe(2);
    expect((await python3([script, root])).code).toBe(2);
  });
});
