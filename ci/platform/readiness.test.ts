import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";

// deploy/platform/lib/readiness.py, fed as npm run platform feeds it (kubectl get -o json)
const script = new URL("../../deploy/platform/lib/readiness.py", import.meta.url).pathname;
const ready = (status: string, generation = 1, observed = 1, message = "Applied") => ({
  kind: "Kustomization",
  metadata: { namespace: "flux-system", name: "apps", generation },
  status: { observedGeneration: observed, conditions: [{ type: "Ready", status, message }] },
});
const list = (...items: unknown[]) => JSON.stringify({ items });

describe("deploy/platform/lib/readiness.py", () => {
  it("flux: ready only when every object is Ready for its current generation", async () => {
    expect(await python3([script, "flux"], list(ready("True")))).toMatchObject({ code: 0 });
    const stale = await python3([script, "flux"], list(ready("True", 2, 1)));
    expect(stale).toMatchObject({ code: 1, stdout: expect.stringContaining("generation 2 not observed yet") });
    const failed = await python3([script, "flux"], list(ready("True"), ready("False", 1, 1, "dependency not ready")));
    expect(failed).toMatchObject({ code: 1, stdout: expect.stringContaining("NOT READY dependency not ready") });
  });

  it("pods: Ready or Succeeded; a waiting container is named; nothing at all is not ready", async () => {
    const pod = (phase: string, readyStatus: string, waiting?: string) => ({
      kind: "Pod",
      metadata: { namespace: "flotilla", name: "hello" },
      status: {
        phase,
        conditions: [{ type: "Ready", status: readyStatus }],
        containerStatuses: waiting ? [{ name: "hello", state: { waiting: { reason: waiting } } }] : [],
      },
    });
    expect(await python3([script, "pods"], list(pod("Running", "True"), pod("Succeeded", "False")))).toMatchObject({ code: 0 });
    expect(await python3([script, "pods"], list(pod("Pending", "False", "ImagePullBackOff")))).toMatchObject({
      code: 1,
      stdout: expect.stringContaining("hello: ImagePullBackOff"),
    });
    expect(await python3([script, "pods"], list())).toMatchObject({ code: 1, stderr: "nothing found\n" });
    expect(await python3([script, "other"], list())).toMatchObject({ code: 2 });
  });

  it("pods --since: a Ready pod counts only once its containers started at or after that time", async () => {
    const pod = (startedAt: string) => ({
      kind: "Pod",
      metadata: { namespace: "flotilla", name: "hello" },
      status: {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [{ name: "hello", state: { running: { startedAt } } }],
      },
    });
    const since = "2026-12-07T20:00:00Z";
    expect(await python3([script, "pods", "--since", since], list(pod("2026-12-07T20:00:05Z")))).toMatchObject({ code: 0 });
    expect(await python3([script, "pods", "--since", since], list(pod("2026-12-07T19:59:55Z")))).toMatchObject({
      code: 1,
      stdout: expect.stringContaining("started before 2026-12-07T20:00:00Z (not restarted yet): hello"),
    });
    // without --since the same stale pod is Ready (what the API says)
    expect(await python3([script, "pods"], list(pod("2026-12-07T19:59:55Z")))).toMatchObject({ code: 0 });
    expect(await python3([script, "pods", "--since"], list())).toMatchObject({ code: 2 });
  });
});
