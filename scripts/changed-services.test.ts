import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedServices } from "./changed-services.ts";

// A real git repository shaped like Flotilla: two kit users, a service without the kit whose
// image has its own Dockerfile and inputs (like web), and the shared files.
let repo: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
const write = (file: string, content: string) => {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), content);
};
const manifest = (name: string, flotilla: object, deps: object = {}) =>
  JSON.stringify({ name: `@t/${name}`, version: "1.0.0", dependencies: deps, flotilla });
/** Commits `files` on a new commit and returns the changed services since `base`. */
const commit = (message: string, files: Record<string, string>) => {
  for (const [file, content] of Object.entries(files)) write(file, content);
  git("add", "-A");
  git("commit", "-q", "-m", message);
  return git("rev-parse", "HEAD");
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "changed-services-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@example.com");
  git("config", "user.name", "ci");
  commit("initial", {
    "package.json": "{}",
    "package-lock.json": "{}",
    "deploy/docker/node-service.Dockerfile": "FROM scratch\n",
    "deploy/docker/web.Dockerfile": "FROM scratch\n",
    "deploy/nginx/nginx.conf": "events {}\n",
    "deploy/helm/flotilla/values.yaml": "{}\n",
    "packages/kit/package.json": JSON.stringify({ name: "@t/kit" }),
    "packages/kit/src/index.ts": "export {};\n",
    "services/hello/package.json": manifest("hello", { port: 8090 }, { "@t/kit": "*" }),
    "services/hello/src/main.ts": "// hello\n",
    "services/stats/package.json": manifest("stats", { port: 8080 }, { "@t/kit": "*" }),
    "services/stats/src/main.ts": "// stats\n",
    "apps/web/package.json": manifest("web", {
      port: 3050,
      image: { dockerfile: "deploy/docker/web.Dockerfile", inputs: ["deploy/nginx"] },
    }),
    "apps/web/src/main.tsx": "// web\n",
  });
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("changed-services on real git histories", () => {
  const since = (files: Record<string, string>) => {
    const base = git("rev-parse", "HEAD");
    commit("change", files);
    return changedServices(base, "HEAD", repo).names;
  };

  it("a commit inside one service touches only that service", () => {
    expect(since({ "services/stats/src/main.ts": "// stats v2\n" })).toEqual(["stats"]);
  });

  it("the kit touches the services that depend on it, not web", () => {
    expect(since({ "packages/kit/src/index.ts": "export const v = 2;\n" })).toEqual(["hello", "stats"]);
  });

  it("the lockfile and the root package.json touch every member", () => {
    expect(since({ "package-lock.json": '{"v":2}' })).toEqual(["hello", "stats", "web"]);
    expect(since({ "package.json": '{"v":2}' })).toEqual(["hello", "stats", "web"]);
  });

  it("the shared Dockerfile touches every member built from it; web's own inputs only web", () => {
    expect(since({ "deploy/docker/node-service.Dockerfile": "FROM scratch\nUSER 1\n" })).toEqual(["hello", "stats"]);
    expect(since({ "deploy/nginx/nginx.conf": "events { }\n" })).toEqual(["web"]);
    expect(since({ "deploy/docker/web.Dockerfile": "FROM scratch\nUSER 1\n" })).toEqual(["web"]);
  });

  it("documentation and the chart touch no image", () => {
    expect(since({ "services/hello/README.md": "# hello\n", "deploy/helm/flotilla/values.yaml": "a: 1\n" })).toEqual([]);
  });

  it("compares with the merge base, as a pull request does", () => {
    const main = git("rev-parse", "HEAD");
    git("checkout", "-q", "-b", "feature");
    commit("feature", { "services/hello/src/main.ts": "// hello v2\n" });
    git("checkout", "-q", "main");
    commit("main moves on", { "services/stats/src/main.ts": "// stats v3\n" });
    git("checkout", "-q", "feature");
    expect(changedServices("main", "HEAD", repo).names).toEqual(["hello"]);
    expect(changedServices(main, "HEAD", repo).names).toEqual(["hello"]);
    git("checkout", "-q", "main");
  });

  it("no usable base (first push, all-zero SHA, unknown ref) means every member", () => {
    expect(changedServices("0000000000000000000000000000000000000000", "HEAD", repo).names).toEqual(["hello", "stats", "web"]);
    expect(changedServices("", "HEAD", repo).names).toEqual(["hello", "stats", "web"]);
    expect(changedServices("no-such-ref", "HEAD", repo).reason).toMatch(/no base commit/);
  });

  it("an unknown head is an error, not an empty list", () => {
    expect(() => changedServices("main", "no-such-head", repo)).toThrow(/no commit 'no-such-head'/);
  });
});
