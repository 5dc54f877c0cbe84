// Which fleet members a change touches: the pipelines build, scan, push and deploy only those
// (seed 002's to-do: "don't build if only non-relevant files are updated").
//   node scripts/changed-services.ts [--json] BASE [HEAD]     one name a line, or a JSON array
// A file touches a member when it lies in the member's folder, is its Dockerfile or one of its
// image inputs (the registry's "image" block), or is a workspace package (packages/*) it depends
// on. Files every image build reads touch every member: the lockfile, the root package.json, the
// stand-in bases, the bundler script, the shared tsconfig, .dockerignore. Markdown touches none
// (.dockerignore keeps it out of every image and no test reads it). With no usable BASE (a first
// push, an all-zero "before" SHA, a shallow clone without it) every member is touched.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readRegistry, root } from "./registry.ts";

export const sharedInputs = [
  "package-lock.json",
  "package.json",
  ".dockerignore",
  "tsconfig.base.json",
  "scripts/build-service.ts",
  "scripts/registry.ts",
  "deploy/docker/base/",
];

const under = (file: string, path: string) => file === path || file.startsWith(path.endsWith("/") ? path : `${path}/`);

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function commitExists(dir: string, rev: string): boolean {
  if (!rev || /^0+$/.test(rev)) return false;
  try {
    git(dir, "rev-parse", "--verify", "--quiet", `${rev}^{commit}`);
    return true;
  } catch {
    return false;
  }
}

/** Workspace packages (packages/*) by npm name, with the folder they live in. */
function workspacePackages(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const base = join(dir, "packages");
  if (!existsSync(base)) return out;
  for (const name of readdirSync(base)) {
    const file = join(base, name, "package.json");
    if (existsSync(file)) out.set(JSON.parse(readFileSync(file, "utf8")).name, `packages/${name}`);
  }
  return out;
}

/** The members `files` touch, in registry order. */
export function touchedBy(files: string[], dir: string = root): string[] {
  const members = readRegistry(dir);
  const packages = workspacePackages(dir);
  const relevant = files.filter((f) => !f.endsWith(".md"));
  if (relevant.some((f) => sharedInputs.some((s) => under(f, s)))) return members.map((m) => m.name);
  return members
    .filter((m) => {
      const deps = new Set(m.dependencies);
      const own = [m.dir, m.image.dockerfile, ...m.image.inputs];
      for (const [name, folder] of packages) if (deps.has(name)) own.push(folder);
      return relevant.some((f) => own.some((p) => under(f, p)));
    })
    .map((m) => m.name);
}

/** The members touched between `base` and `head` (merge-base diff, as a pull request shows it). */
export function changedServices(base: string, head = "HEAD", dir: string = root): { names: string[]; reason: string } {
  if (!commitExists(dir, base)) {
    return { names: readRegistry(dir).map((m) => m.name), reason: `no base commit '${base}': every member` };
  }
  if (!commitExists(dir, head)) throw new Error(`no commit '${head}'`);
  const files = git(dir, "diff", "--name-only", "--no-renames", `${base}...${head}`).split("\n").filter(Boolean);
  const names = touchedBy(files, dir);
  return { names, reason: `${files.length} file(s) changed since ${base.slice(0, 12)}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const json = args[0] === "--json";
  const [base = "", head = "HEAD"] = json ? args.slice(1) : args;
  try {
    const { names, reason } = changedServices(base, head);
    console.error(`changed-services: ${reason} -> ${names.length ? names.join(" ") : "none"}`);
    console.log(json ? JSON.stringify(names) : names.join("\n"));
  } catch (e) {
    console.error(`changed-services: ${(e as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
}
