import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const here = (name: string) => new URL(name, import.meta.url).pathname;
const files = scratch("platform-helpers");
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const registry = "registry.registry.svc.cluster.local:5000";

describe("ci/platform/edit.py", () => {
  it("replaces exactly one occurrence, \\n meaning a newline", async () => {
    const f = files.write("values.yaml", "services:\n  hello:\n    x: 1\n");
    expect(await python3([here("edit.py"), f, "  hello:\\n", "  hello:\\n    env: {}\\n"])).toMatchObject({ code: 0 });
    expect(readFileSync(f, "utf8")).toBe("services:\n  hello:\n    env: {}\n    x: 1\n");
  });
  it("refuses none or several occurrences, naming the file", async () => {
    const f = files.write("values.yaml", "a a\n");
    expect(await python3([here("edit.py"), f, "a", "b"])).toMatchObject({ code: 1, stderr: expect.stringContaining("2 occurrences") });
    expect(await python3([here("edit.py"), f, "c", "b"])).toMatchObject({ code: 1, stderr: expect.stringContaining("0 occurrences") });
    expect(readFileSync(f, "utf8")).toBe("a a\n");
  });
});

describe("ci/platform/release.py", () => {
  const hr = (conditions: object[], history: object[] = [], generation = 3) =>
    JSON.stringify({
      metadata: { generation },
      status: { observedGeneration: 3, conditions, history, lastAttemptedConfigDigest: "sha256:abc" },
    });
  it("ready: Ready for the current generation, and at a revision when one is named", async () => {
    const ok = hr([{ type: "Ready", status: "True", message: "Helm test succeeded" }]);
    expect(await python3([here("release.py"), "ready"], ok)).toMatchObject({ code: 0, stdout: "Helm test succeeded\n" });
    expect(await python3([here("release.py"), "ready", "abc"], ok)).toMatchObject({ code: 0 });
    expect(await python3([here("release.py"), "ready", "def"], ok)).toMatchObject({ code: 1 });
    expect(await python3([here("release.py"), "ready"], hr([{ type: "Ready", status: "True" }], [], 4))).toMatchObject({ code: 1 });
  });
  it("rolled-back, deployed and history read the conditions and the history", async () => {
    const history = [
      { version: 3, status: "failed", chartVersion: "0.1.0", configDigest: "sha256:222222222222222" },
      { version: 2, status: "deployed", chartVersion: "0.1.0", configDigest: "sha256:111111111111111" },
    ];
    const rolled = hr([{ type: "Remediated", status: "True", reason: "RollbackSucceeded", message: "rolled back" }], history);
    expect(await python3([here("release.py"), "rolled-back"], rolled)).toMatchObject({ code: 0 });
    expect(await python3([here("release.py"), "rolled-back"], hr([], history))).toMatchObject({ code: 1, stdout: "not remediated \n" });
    expect(await python3([here("release.py"), "deployed"], rolled)).toMatchObject({ code: 0, stdout: "0.1.0 sha256:111111111111111\n" });
    expect(await python3([here("release.py"), "deployed"], hr([], history.slice(0, 1)))).toMatchObject({ code: 1 });
    expect((await python3([here("release.py"), "history"], rolled)).stdout).toBe(
      "v3 failed       chart 0.1.0 values 222222222222\nv2 deployed     chart 0.1.0 values 111111111111\n",
    );
  });
});

describe("ci/platform/fleet-images.py", () => {
  const pods = (image: string, imageID = image) =>
    files.write(
      "pods.json",
      JSON.stringify({
        items: [
          {
            metadata: { name: "hello-1" },
            spec: { containers: [{ name: "hello", image }] },
            status: { containerStatuses: [{ name: "hello", imageID }] },
          },
        ],
      }),
    );
  const events = (image: string) =>
    files.write("events.json", JSON.stringify({ items: [{ reason: "Pulled", message: `Successfully pulled image "${image}" in 2s` }] }));
  const ref = `${registry}/flotilla/hello@${digest("a")}`;

  it("passes when every container runs an image of the registry by digest that the kubelet pulled", async () => {
    expect(await python3([here("fleet-images.py"), pods(ref), events(ref), registry])).toMatchObject({
      code: 0,
      stdout: `pulled by digest: ${ref} (1 containers)\n`,
    });
  });
  it("refuses a tag, another registry, another digest run, an image never pulled, and no pods", async () => {
    const tagged = `${registry}/flotilla/hello:0.1.0`;
    expect(await python3([here("fleet-images.py"), pods(tagged), events(tagged), registry])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("is not an image of"),
    });
    const imported = `flotilla.local/traefik@${digest("a")}`;
    expect(await python3([here("fleet-images.py"), pods(imported), events(imported), registry])).toMatchObject({ code: 1 });
    expect(
      await python3([here("fleet-images.py"), pods(ref, `${registry}/flotilla/hello@${digest("b")}`), events(ref), registry]),
    ).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("runs"),
    });
    expect(await python3([here("fleet-images.py"), pods(ref), files.write("none.json", '{"items": []}'), registry])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no 'Successfully pulled image' event"),
    });
    const empty = files.write("empty.json", '{"items": []}');
    expect(await python3([here("fleet-images.py"), empty, empty, registry])).toMatchObject({ code: 1, stderr: "no container found\n" });
  });
});
