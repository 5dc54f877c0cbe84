// Derived files, written or checked one way by every generator (scripts/generate.ts runs them
// all): a generator returns the files it derives (path relative to the repository root -> the
// whole content) and the folders it owns, where a file it no longer derives is a stray (a removed
// service's dashboard). Nothing is written until every generator has produced its files.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Derived {
  files: Map<string, string>;
  /** Folders holding only derived files: anything else in them is removed (reported by --check). */
  owned?: string[];
}

/** Paths that differ from what the generators derive: stale, missing or stray. */
export function staleFiles(
  root: string,
  derived: Derived,
): Array<{ file: string; why: "out of date" | "missing" | "no longer generated" }> {
  const found: Array<{ file: string; why: "out of date" | "missing" | "no longer generated" }> = [];
  for (const [file, content] of derived.files) {
    const path = join(root, file);
    if (!existsSync(path)) found.push({ file, why: "missing" });
    else if (readFileSync(path, "utf8") !== content) found.push({ file, why: "out of date" });
  }
  for (const dir of derived.owned ?? []) {
    if (!existsSync(join(root, dir))) continue;
    for (const f of readdirSync(join(root, dir)).sort()) {
      // a folder's README.md is its hand-written guide (docs/api/README.md), never a generator's
      if (f !== "README.md" && !derived.files.has(`${dir}/${f}`)) found.push({ file: `${dir}/${f}`, why: "no longer generated" });
    }
  }
  return found;
}

/** Brings the tree in line (check false) or only reports (check true); returns the stale count. */
export function applyDerived(root: string, derived: Derived, options: { check: boolean; fix: string }): number {
  const stale = staleFiles(root, derived);
  for (const { file, why } of stale) {
    const path = join(root, file);
    if (options.check) console.error(`${file} is ${why}; run ${options.fix}`);
    else if (why === "no longer generated") {
      rmSync(path);
      console.log(`removed ${file}`);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, derived.files.get(file) as string);
      console.log(`wrote ${file}`);
    }
  }
  return stale.length;
}

/** Several generators' files as one (a path derived twice is a bug in the generators). */
export function merge(parts: Derived[]): Derived {
  const files = new Map<string, string>();
  const owned: string[] = [];
  for (const part of parts) {
    for (const [file, content] of part.files) {
      if (files.has(file)) throw new Error(`${file} is derived by two generators`);
      files.set(file, content);
    }
    owned.push(...(part.owned ?? []));
  }
  return { files, owned };
}
