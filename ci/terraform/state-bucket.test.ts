import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { freePort } from "@flotilla/test-support";
import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";

const script = new URL("state-bucket.py", import.meta.url).pathname;
// the tier runs it with moto's venv (boto3); the argument checks need no boto3
const motoPython = join(process.env.FLOTILLA_CACHE ?? join(homedir(), ".cache/flotilla"), "venv-moto/bin/python");

describe("ci/terraform/state-bucket.py", () => {
  it("bad arguments: an unknown call, a missing or extra argument: usage, exit 2", async () => {
    for (const args of [[], ["nosuch", "http://x", "b"], ["lock", "http://x", "b"], ["empty", "http://x", "b", "k"], ["drop-policy"]]) {
      expect(await python3([script, ...args])).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: state-bucket.py") });
    }
  });

  // with moto's venv (tools/terraform.sh builds it): a call nothing answers fails, naming why
  it.skipIf(!existsSync(motoPython))("an endpoint nothing answers: exit 1 with the error, for every call", async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    for (const args of [
      ["refuses-plain-http", endpoint, "b"],
      ["lock", endpoint, "b", "k"],
    ]) {
      const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
        execFile(motoPython, [script, ...args], { env: { ...process.env, AWS_MAX_ATTEMPTS: "1" } }, (error, _o, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stderr }),
        ),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Could not connect|refused/);
    }
  });
});
