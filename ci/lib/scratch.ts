import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/**
 * Files for one test at a time, in a directory made on first use and removed after each test:
 * `write(name, text)` returns the file's path, `path(name)` a path in the same directory.
 */
export function scratch(prefix: string): { write(name: string, text: string): string; path(name: string): string } {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = "";
  });
  const path = (name: string) => {
    dir ||= mkdtempSync(join(tmpdir(), `${prefix}-`));
    return join(dir, name);
  };
  return {
    path,
    write(name, text) {
      writeFileSync(path(name), text);
      return path(name);
    },
  };
}
