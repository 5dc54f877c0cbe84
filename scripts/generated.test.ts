import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyDerived, type Derived, merge, staleFiles } from "./generated.ts";

let dir: string;
const write = (file: string, text: string) => {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), text);
};
const derived = (): Derived => ({
  files: new Map([
    ["a/up-to-date.txt", "same\n"],
    ["a/changed.txt", "new\n"],
    ["b/missing.txt", "born\n"],
  ]),
  owned: ["a"],
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "generated-"));
  write("a/up-to-date.txt", "same\n");
  write("a/changed.txt", "old\n");
  write("a/stray.txt", "left over\n");
  write("b/hand-written.txt", "mine\n");
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

describe("derived files", () => {
  it("names every stale file: out of date, missing, and a stray in an owned folder only", () => {
    expect(staleFiles(dir, derived())).toEqual([
      { file: "a/changed.txt", why: "out of date" },
      { file: "b/missing.txt", why: "missing" },
      { file: "a/stray.txt", why: "no longer generated" },
    ]);
  });

  it("--check reports them by name and changes nothing", () => {
    expect(applyDerived(dir, derived(), { check: true, fix: "npm run generate" })).toBe(3);
    expect(console.error).toHaveBeenCalledWith("a/changed.txt is out of date; run npm run generate");
    expect(readFileSync(join(dir, "a/changed.txt"), "utf8")).toBe("old\n");
    expect(existsSync(join(dir, "b/missing.txt"))).toBe(false);
    expect(existsSync(join(dir, "a/stray.txt"))).toBe(true);
  });

  it("writing brings the tree in line, after which the check passes", () => {
    expect(applyDerived(dir, derived(), { check: false, fix: "npm run generate" })).toBe(3);
    expect(readFileSync(join(dir, "a/changed.txt"), "utf8")).toBe("new\n");
    expect(readFileSync(join(dir, "b/missing.txt"), "utf8")).toBe("born\n");
    expect(existsSync(join(dir, "a/stray.txt"))).toBe(false);
    expect(readFileSync(join(dir, "b/hand-written.txt"), "utf8")).toBe("mine\n");
    expect(staleFiles(dir, derived())).toEqual([]);
  });

  it("refuses a file derived by two generators", () => {
    expect(() => merge([derived(), { files: new Map([["a/changed.txt", "other\n"]]) }])).toThrow(
      "a/changed.txt is derived by two generators",
    );
  });
});
