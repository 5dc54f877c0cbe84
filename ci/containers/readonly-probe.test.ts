import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const probe = new URL("readonly-probe.cjs", import.meta.url).pathname;

describe("ci/containers/readonly-probe.cjs", () => {
  // The good case needs the hardened container (tier containers runs it there); on this host the
  // root filesystem is writable (or /app absent) and the user is not 65532: the probe must refuse.
  it("fed on stdin to node as the tier does: exit 1 naming what is wrong outside the hardened container", async () => {
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ["-"], (error, _stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
      child.stdin?.end(readFileSync(probe));
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the root filesystem (/app) is not read-only");
    expect(run.stderr).toMatch(/runs as \d+:\d+, not 65532/);
  });
});
