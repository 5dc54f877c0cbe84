import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";

const script = new URL("routeguide.py", import.meta.url).pathname;
const pod = (opts: { containers?: string[]; sidecar?: boolean; ready?: boolean } = {}) => ({
  spec: {
    containers: (opts.containers ?? ["routeguide"]).map((name) => ({ name })),
    initContainers: [{ name: "backend", restartPolicy: opts.sidecar === false ? undefined : "Always" }],
  },
  status: { containerStatuses: [{ ready: true }], initContainerStatuses: [{ ready: opts.ready ?? true }] },
});
const podsOf = (...items: object[]) => JSON.stringify({ kind: "List", items });

describe("ci/cluster/routeguide.py pods", () => {
  it("exit 0 for server + ready native sidecar in every pod", async () => {
    expect(await python3([script, "pods", podsOf(pod(), pod())])).toEqual({
      code: 0,
      stdout: "2 pods: server + backend sidecar, both ready\n",
      stderr: "",
    });
  });

  it("exit 1 for a second container, a sidecar that is a plain init container, one not ready, no pods", async () => {
    for (const bad of [pod({ containers: ["routeguide", "backend"] }), pod({ sidecar: false }), pod({ ready: false })]) {
      expect((await python3([script, "pods", podsOf(pod(), bad)])).code).toBe(1);
    }
    expect(await python3([script, "pods", podsOf()])).toMatchObject({ code: 1, stderr: "no routeguide pods\n" });
  });
});

describe("ci/cluster/routeguide.py client-job", () => {
  const job = (name: string) => ({
    kind: "Job",
    metadata: { name, annotations: { "helm.sh/hook": "test", "helm.sh/hook-delete-policy": "x", keep: "me" } },
    spec: {},
  });

  it("renames the client Job and drops helm's hook annotations; from a List too", async () => {
    for (const input of [
      job("flotilla-routeguide-client"),
      { kind: "List", items: [job("flotilla-other"), job("flotilla-routeguide-client")] },
    ]) {
      const run = await python3([script, "client-job", "rg-client-1"], JSON.stringify(input));
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({ kind: "Job", metadata: { name: "rg-client-1", annotations: { keep: "me" } }, spec: {} });
    }
  });

  it("exit 1 when the List has no client Job; bad input exit 2", async () => {
    expect((await python3([script, "client-job", "x"], JSON.stringify({ kind: "List", items: [job("flotilla-other")] }))).code).toBe(1);
    expect((await python3([script, "client-job", "x"], "error: no objects passed to create")).code).toBe(2);
    expect((await python3([script, "pods", "not json"])).code).toBe(2);
    expect((await python3([script, "client-job"], "{}")).code).toBe(2);
  });
});
