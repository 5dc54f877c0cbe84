import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const MAIN = new URL("../src/main.ts", import.meta.url).pathname;

describe("hello process", () => {
  it("prints every bad variable and exits non-zero before binding a port", () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, PORT: "eighty", LOG_LEVEL: "chatty", SCRATCH_MAX_BYTES: "0" },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain("hello: invalid configuration (3 problems):");
    expect(result.stderr).toMatch(/^ {2}PORT: .*got "eighty"/m);
    expect(result.stderr).toMatch(/^ {2}LOG_LEVEL: /m);
    expect(result.stderr).toMatch(/^ {2}SCRATCH_MAX_BYTES: /m);
    expect(result.stdout).not.toContain("listening");
  });
});
