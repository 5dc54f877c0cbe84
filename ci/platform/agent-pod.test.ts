import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("agent-pod.py", import.meta.url).pathname;
const tmp = scratch("platform-agent-pod-test");
const ds = (securityContext: object, readOnly = true) =>
  tmp.write(
    "ds.json",
    JSON.stringify({
      spec: {
        template: {
          spec: {
            containers: [{ name: "agent", securityContext, volumeMounts: [{ name: "pods", mountPath: "/var/log/pods", readOnly }] }],
          },
        },
      },
    }),
  );
const hardened = { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

describe("ci/platform/agent-pod.py", () => {
  it("secure: passes a hardened agent, names each weakness otherwise", async () => {
    expect(await python3([script, "secure", ds(hardened)])).toMatchObject({ code: 0, stdout: "" });
    const weak = await python3([script, "secure", ds({ ...hardened, allowPrivilegeEscalation: true, capabilities: {} }, false)]);
    expect(weak.code).toBe(1);
    expect(weak.stdout.trim().split("\n")).toEqual([
      "privilege escalation allowed",
      "capabilities not dropped (drop: [ALL])",
      "the node's pod logs not mounted read-only",
    ]);
  });

  it("as-pod: the DaemonSet's pod spec as a Pod in another namespace; bad arguments exit 2", async () => {
    const r = await python3([script, "as-pod", ds(hardened), "observability", "agent-in-restricted"]);
    expect(r.code).toBe(0);
    const pod = JSON.parse(r.stdout);
    expect(pod).toMatchObject({ kind: "Pod", metadata: { name: "agent-in-restricted", namespace: "observability" } });
    expect(pod.spec.containers[0].name).toBe("agent");
    expect(await python3([script, "as-pod", ds(hardened)])).toMatchObject({ code: 2 });
  });
});
