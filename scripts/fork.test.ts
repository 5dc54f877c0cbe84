import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs, rewrite, type Settings } from "./fork.ts";

// `npm run fork` on a throwaway copy of this repository's files (a git repository of its own),
// run as users run it: the copy's own scripts/fork.ts, by the pinned node.
const repoRoot = join(import.meta.dirname, "..");
const node = process.execPath;
const ACME = [
  "--org",
  "northwind",
  "--repo",
  "github.com/northwind/flotilla",
  "--domain",
  "northwind.io",
  "--registry",
  "ghcr.io/northwind",
];
const BETA = ["--org", "beta-labs", "--repo", "gitlab.com/beta-labs/fleet", "--domain", "beta.dev", "--registry", "registry.beta.dev:5000"];
const upstream = (JSON.parse(readFileSync(join(repoRoot, "fork.json"), "utf8")) as Settings).upstream;

let copy: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: copy, encoding: "utf8" });
const forkRun = (args: string[]) => spawnSync(node, ["scripts/fork.ts", ...args], { cwd: copy, encoding: "utf8" });
/** Files changed since the last commit of the copy. */
const changed = () => git("status", "--porcelain").trim();
const commitAll = () => {
  git("add", "-A");
  git("commit", "-qm", "step", "--allow-empty");
};
/** git grep -P in the copy, outside the files that talk about the placeholders (fork.json's skip). */
const grep = (pattern: string): string => {
  const skip = (JSON.parse(readFileSync(join(copy, "fork.json"), "utf8")) as Settings).skip.map((f) => `:!${f}`);
  return spawnSync("git", ["grep", "-n", "-I", "-P", pattern, "--", ".", ...skip], { cwd: copy, encoding: "utf8" }).stdout.trim();
};
const grepUpstream = () => grep(upstream.map((p) => `(?:${p})`).join("|"));

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "fork-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    try {
      cpSync(join(repoRoot, f), join(copy, f), { recursive: false, verbatimSymlinks: true });
    } catch {
      // deleted in the work tree, not yet in the index: not part of the repository being forked
    }
  }
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@flotilla.invalid");
  git("config", "user.name", "fork test");
  commitAll();
  expect(grepUpstream()).not.toBe(""); // the copy starts with the placeholders (the grep can find them)
}, 60_000);

afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("npm run fork on a copy of the repository", () => {
  it("refuses bad arguments, naming every one, and changes nothing", () => {
    const r = forkRun([
      "--org",
      "northwind!",
      "--repo",
      "github.com/other/flotilla",
      "--domain",
      "example.com",
      "--registry",
      "ghcr.io/Acme",
      "--x",
    ]);
    expect(r.status).toBe(2);
    for (const bad of ["--org", "--repo", "--domain", "--registry", '"--x"']) expect(r.stderr).toContain(bad);
    expect(r.stderr).toContain("nothing changed");
    expect(forkRun([]).stderr).toMatch(/--org is missing[\s\S]*--repo is missing[\s\S]*--domain is missing[\s\S]*--registry is missing/);
    expect(changed()).toBe("");
  });

  it("rewrites every placeholder, and a second run with the same arguments changes nothing", () => {
    const first = forkRun(ACME);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(grepUpstream()).toBe("");
    expect(changed().split("\n").length).toBeGreaterThanOrEqual(25);
    expect(readFileSync(join(copy, "deploy/helm/flotilla/Chart.yaml"), "utf8")).toContain("home: https://github.com/northwind/flotilla\n");
    expect(readFileSync(join(copy, "deploy/flux/apps/prod/flotilla-values.yaml"), "utf8")).toContain(
      "imageRegistry: ghcr.io/northwind/flotilla\n",
    );
    expect(readFileSync(join(copy, "deploy/kustomize/overlays/prod/flotilla.yaml"), "utf8")).toContain(
      "image: ghcr.io/northwind/flotilla/hello:",
    );
    expect(readFileSync(join(copy, "deploy/flux/clusters/prod/flux-system/gotk-sync.yaml"), "utf8")).toContain(
      "url: https://github.com/northwind/flotilla.git",
    );
    expect(readFileSync(join(copy, "deploy/monitoring/alertmanager/alertmanager.yml"), "utf8")).toContain(
      "http://alerts.northwind.io/pager",
    );
    commitAll();
    const second = forkRun(ACME);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("nothing to change");
    expect(changed()).toBe("");
  });

  it("moves from the previous values to new ones", () => {
    expect(forkRun(BETA).status).toBe(0);
    expect(grep("northwind")).toBe("");
    expect(readFileSync(join(copy, "deploy/flux/apps/prod/flotilla-values.yaml"), "utf8")).toContain(
      "imageRegistry: registry.beta.dev:5000/flotilla\n",
    );
    expect(readFileSync(join(copy, "deploy/helm/flotilla/files/rules/slo.rules.yml"), "utf8")).toContain(
      "https://gitlab.com/beta-labs/fleet/blob/main/docs/runbooks/slo-burn-rate.md",
    );
    commitAll();
  });

  it("fails, naming the file, when an upstream placeholder is left where no placeholder matches it", () => {
    writeFileSync(join(copy, "docs/planted.md"), "Docs live at https://example.com/elsewhere.\n");
    git("add", "docs/planted.md");
    const r = forkRun(BETA);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("docs/planted.md:1: Docs live at https://example.com/elsewhere.");
    git("rm", "-qf", "docs/planted.md");
  });

  it("leaves a skipped file alone", () => {
    appendFileSync(join(copy, "docs/fork.md"), "\nregistry.beta.dev:5000 stays here.\n");
    commitAll();
    expect(forkRun(ACME).status).toBe(0);
    expect(readFileSync(join(copy, "docs/fork.md"), "utf8")).toContain("registry.beta.dev:5000 stays here.");
  });
});

describe("rewrite", () => {
  const pairs = new Map([
    ["https://example.com/flotilla", "https://github.com/a/f"],
    ["https://example.com/flotilla/docs/runbooks/", "https://github.com/a/f/blob/main/docs/runbooks/"],
    ["registry.example.com", "ghcr.io/a"],
  ]);
  it("prefers the longest value, and only replaces a value standing alone", () => {
    expect(rewrite("home: https://example.com/flotilla\nurl: https://example.com/flotilla/docs/runbooks/x.md\n", pairs)).toBe(
      "home: https://github.com/a/f\nurl: https://github.com/a/f/blob/main/docs/runbooks/x.md\n",
    );
    expect(rewrite("registry.example.com/flotilla/hello", pairs)).toBe("ghcr.io/a/flotilla/hello");
    for (const inside of [
      "my-registry.example.com",
      "registry.example.com-2",
      "https://example.com/flotilla-docs",
      "ci.registry.example.com",
    ])
      expect(rewrite(inside, pairs)).toBe(inside);
  });
});

describe("parseArgs", () => {
  it("accepts a GitLab subgroup, a registry with a port and --name=value", () => {
    const r = parseArgs([
      "--org=grp/sub",
      "--repo",
      "gitlab.com/grp/sub/fleet",
      "--domain",
      "fleet.northwind.io",
      "--registry",
      "10.0.0.1.nip.io:5000",
    ]);
    expect(r.problems).toEqual([]);
    expect(r.args.org).toBe("grp/sub");
  });
  it("names a value missing after its flag, a flag given twice and a repo of another org", () => {
    expect(parseArgs(["--org", "--repo", "x"]).problems.filter((p) => p.startsWith("--org"))).toEqual(["--org needs a value"]);
    expect(parseArgs(["--org", "a", "--org", "b"]).problems).toContain("--org given twice");
    expect(parseArgs([...ACME.slice(0, 2), "--repo", "github.com/evil/flotilla", ...ACME.slice(4)]).problems).toEqual([
      '--repo "github.com/evil/flotilla" belongs to evil, not to --org northwind',
    ]);
  });
});
