import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const library = new URL("daemon.sh", import.meta.url).pathname;
let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `script` in bash with tools/lib/daemon.sh sourced and $D a scratch directory. */
function bash(script: string): Promise<{ code: number; stderr: string; seconds: number }> {
  dir = mkdtempSync(join(tmpdir(), "daemon-test-"));
  writeFileSync(join(dir, "server.log"), "line 1 of the server's log\nlast words of the server\n");
  const began = performance.now();
  return new Promise((resolve) => {
    execFile("bash", ["-c", `source ${library}; D=${dir}; ${script}`], (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stderr, seconds: (performance.now() - began) / 1000 }),
    );
  });
}

describe("await_daemon", () => {
  it("returns once the probe succeeds", async () => {
    const run = await bash(
      `sleep 30 & pid=$!; (sleep 0.5; touch $D/up) & await_daemon $pid 10 $D/server.log "the server" test -e $D/up; rc=$?; kill $pid; exit $rc`,
    );
    expect(run).toMatchObject({ code: 0, stderr: "" });
  });

  it("gives up at once when the server exits, with the end of its log", async () => {
    const run = await bash(`(sleep 0.3) & pid=$!; await_daemon $pid 30 $D/server.log "the server" false`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("line 1 of the server's log\nlast words of the server\nthe server did not come up\n");
    expect(run.seconds).toBeLessThan(10);
  });

  it("gives up after its seconds when the probe never succeeds", async () => {
    const run = await bash(`sleep 30 & pid=$!; await_daemon $pid 1 $D/server.log "the server" false; rc=$?; kill $pid; exit $rc`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("the server did not come up");
  });
});
