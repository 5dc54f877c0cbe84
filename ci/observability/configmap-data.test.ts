import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";

const script = new URL("configmap-data.py", import.meta.url).pathname;
const manifests = `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: collector}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: collector-config}
data:
  config.yaml: |
    receivers: {}
    exporters: {}
`;

describe("ci/observability/configmap-data.py", () => {
  it("prints the data key of the first ConfigMap in the manifests", async () => {
    expect(await python3([script, "config.yaml"], manifests)).toEqual({ code: 0, stdout: "receivers: {}\nexporters: {}\n\n", stderr: "" });
  });

  it("a missing key or no ConfigMap at all: exit 1, saying which", async () => {
    expect(await python3([script, "other.yaml"], manifests)).toMatchObject({
      code: 1,
      stderr: "ConfigMap collector-config has no data key 'other.yaml'\n",
    });
    expect(await python3([script, "config.yaml"], manifests.split("---")[1])).toMatchObject({
      code: 1,
      stderr: "no ConfigMap in the manifests\n",
    });
  });
});
