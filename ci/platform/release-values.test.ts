import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

// deploy/platform/lib/release_values.py, run as npm run platform runs it on its published copy
const script = new URL("../../deploy/platform/lib/release_values.py", import.meta.url).pathname;
const files = scratch("release-values");
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const registry = "registry.registry.svc.cluster.local:5000/flotilla";

function local(): string {
  const images = files.path("local/release/images.yaml");
  mkdirSync(dirname(images), { recursive: true });
  writeFileSync(images, "# local's images, written by the platform\n{}\n");
  writeFileSync(files.path("local/chart-source.yaml"), "# `tag: unpublished` is replaced\nspec:\n  ref:\n    tag: unpublished\n");
  return dirname(dirname(images));
}

describe("deploy/platform/lib/release_values.py", () => {
  it("writes every pushed image by digest and the chart's digest, keeping the files' comments", async () => {
    const dir = local();
    const hello = files.write("hello", `${registry}/hello@${digest("a")}\n`);
    const web = files.write("web", `${registry}/web@${digest("b")}\n`);
    const log = files.write("web.log", "not an image\n");
    const run = await python3([script, dir, digest("c"), hello, web, log]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const images = readFileSync(`${dir}/release/images.yaml`, "utf8");
    expect(images.startsWith("# local's images, written by the platform\n")).toBe(true);
    expect(JSON.parse(images.replace(/^#.*\n/, ""))).toEqual({
      global: { imageRegistry: registry },
      services: {
        hello: { image: { repository: "hello", digest: digest("a") } },
        web: { image: { repository: "web", digest: digest("b") } },
      },
    });
    expect(readFileSync(`${dir}/chart-source.yaml`, "utf8")).toBe(
      `# \`tag: unpublished\` is replaced\nspec:\n  ref:\n    digest: ${digest("c")}\n`,
    );
  });

  it("refuses a tag reference, an image of another name, a bad chart digest and a second run", async () => {
    const dir = local();
    const tagged = files.write("hello", `${registry}/hello:0.1.0\n`);
    expect(await python3([script, dir, digest("c"), tagged])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not an image of hello by digest"),
    });
    const other = files.write("stats", `${registry}/hello@${digest("a")}\n`);
    expect(await python3([script, dir, digest("c"), other])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not an image of stats"),
    });
    expect(await python3([script, dir, "latest", other])).toMatchObject({ code: 1, stderr: "not a chart digest: 'latest'\n" });
    const good = files.write("hello", `${registry}/hello@${digest("a")}\n`);
    expect(await python3([script, dir, digest("c"), good])).toMatchObject({ code: 0 });
    expect(await python3([script, dir, digest("c"), good])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no single 'tag: unpublished' line"),
    });
  });
});
