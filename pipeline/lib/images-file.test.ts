import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { python3, scratchDir } from "./test-helpers.ts";

const script = new URL("images-file.py", import.meta.url).pathname;
const { dir, file } = scratchDir("images-file");
const header = "# dev's images, by digest. Written by pipeline/promote.\n# JSON, which is YAML.\n";
const hello = "registry.example/flotilla/hello@sha256:1111";
const stats = "registry.example/flotilla/stats@sha256:2222";

describe("pipeline/lib/images-file.py", () => {
  it("an empty file ({}) names no image", async () => {
    expect(await python3([script, file("empty.yaml", `${header}{}\n`)])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("sets images: header kept, registry once, sorted JSON; prints every image the file names", async () => {
    const f = file("dev.yaml", `${header}{}\n`);
    expect(await python3([script, f, `stats=${stats}`, `hello=${hello}`])).toEqual({
      code: 0,
      stdout: `hello=${hello}\nstats=${stats}\n`,
      stderr: "",
    });
    const written = readFileSync(f, "utf8");
    expect(written.startsWith(header)).toBe(true);
    expect(JSON.parse(written.slice(header.length))).toEqual({
      global: { imageRegistry: "registry.example/flotilla" },
      services: {
        hello: { image: { repository: "hello", digest: "sha256:1111" } },
        stats: { image: { repository: "stats", digest: "sha256:2222" } },
      },
    });
    // a second update keeps the other service and other values of a service
    const next = "registry.example/flotilla/hello@sha256:3333";
    expect(await python3([script, f, `hello=${next}`])).toMatchObject({ stdout: `hello=${next}\nstats=${stats}\n` });
    expect(await python3([script, f])).toMatchObject({ stdout: `hello=${next}\nstats=${stats}\n` });
  });

  it("keeps other values of the file and of a service", async () => {
    const f = file("prod.yaml", `${JSON.stringify({ services: { hello: { replicas: 3 } }, other: true })}\n`);
    await python3([script, f, `hello=${hello}`]);
    expect(JSON.parse(readFileSync(f, "utf8"))).toMatchObject({
      other: true,
      services: { hello: { replicas: 3, image: { digest: "sha256:1111" } } },
    });
  });

  it("bad input: not JSON, a reference without digest or registry, no file: exit 2, the file untouched", async () => {
    expect(await python3([script, file("bad.yaml", "services:\n  hello: {}\n")])).toMatchObject({ code: 2 });
    const f = file("dev2.yaml", `${header}{}\n`);
    expect(await python3([script, f, "hello=registry.example/flotilla/hello:1.0"])).toMatchObject({ code: 2 });
    expect(await python3([script, f, "hello=hello@sha256:1"])).toMatchObject({ code: 2 });
    expect(await python3([script, f, "hello"])).toMatchObject({ code: 2 });
    expect(readFileSync(f, "utf8")).toBe(`${header}{}\n`);
    expect((await python3([script, join(dir, "none.yaml")])).code).toBe(2);
    expect((await python3([script])).code).toBe(2);
  });
});
