import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

// For the tests of pipeline/lib's helpers (the product's: nothing here may come from the CI tiers' folder).

/** python3 ARGS (stdin: INPUT, if given): its exit code and output. */
export function python3(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile("python3", args, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/**
 * A directory for one test file, removed after its tests: `file(name, value)` writes VALUE (a
 * string as it is, anything else as JSON) and returns the path; `path(name)` a path in it.
 */
export function scratchDir(prefix: string): { dir: string; file(name: string, value: unknown): string; path(name: string): string } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    path: (name) => join(dir, name),
    file(name, value) {
      writeFileSync(join(dir, name), typeof value === "string" ? value : JSON.stringify(value));
      return join(dir, name);
    },
  };
}
