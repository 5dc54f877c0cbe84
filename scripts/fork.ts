// `npm run fork -- --org <org> --repo <host/org/name> --domain <domain> --registry <registry>`:
// the first step of a fork (docs/fork.md). Rewrites the upstream placeholders (example.com hosts,
// alerts.invalid, github.com/flotilla/flotilla, the image registry) in every tracked text file from
// the one list in fork.json, then records the new values there: a second run with the same
// arguments changes nothing, a run with other arguments moves from the previous ones. Refuses bad
// arguments before touching any file; fails if an upstream placeholder is still left anywhere.
import { execFileSync } from "node:child_process";
import { lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Placeholder {
  what: string;
  value: string;
  template: string;
}
export interface Settings {
  $comment?: string;
  placeholders: Placeholder[];
  upstream: string[];
  skip: string[];
}
export type ForkArgs = Record<"org" | "repo" | "domain" | "registry", string>;
const NAMES = ["org", "repo", "domain", "registry"] as const;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const OWNER = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const IMAGE_PATH = /^[a-z0-9]+([._-][a-z0-9]+)*$/; // one path component of an OCI repository name
// RFC 2606/6761 names: a fork that keeps them still has placeholders
const RESERVED = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/;

/** Why `host` is not a DNS name (lowercase, at least two labels, not a reserved name), or null. */
function hostProblem(host: string): string | null {
  const labels = host.split(".");
  if (host.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    return "is not a domain name (lowercase labels of letters, digits and dashes, e.g. acme.io)";
  if (RESERVED.test(host)) return "is a reserved example name, itself a placeholder";
  return null;
}

/** Every problem with the arguments, one line each; empty when they are good. */
export function problems(args: Partial<ForkArgs>): string[] {
  const out: string[] = [];
  const bad = (name: string, why: string) => out.push(`--${name} ${JSON.stringify(args[name as keyof ForkArgs])} ${why}`);
  for (const name of NAMES) if (!args[name]) out.push(`--${name} is missing`);
  const { org, repo, domain, registry } = args;
  if (org !== undefined && org !== "" && !org.split("/").every((s) => OWNER.test(s)))
    bad("org", "is not an organization (letters, digits, '.', '_', '-'; GitLab subgroups as group/sub)");
  if (repo) {
    const parts = repo.split("/");
    const host = parts[0] ?? "";
    const name = parts.at(-1) ?? "";
    const why = hostProblem(host);
    if (parts.length < 3 || why) bad("repo", `is not <host>/<org>/<name>${why ? `: its host ${why}` : ""}`);
    else if (!REPO_NAME.test(name) || name.endsWith(".git"))
      bad("repo", "has a bad repository name (letters, digits, '.', '_', '-', no .git)");
    else if (org && parts.slice(1, -1).join("/") !== org) bad("repo", `belongs to ${parts.slice(1, -1).join("/")}, not to --org ${org}`);
  }
  if (domain) {
    const why = hostProblem(domain);
    if (why) bad("domain", why);
  }
  if (registry) {
    const [hostPort = "", ...path] = registry.split("/");
    const [host = "", port, ...extra] = hostPort.split(":");
    const why = hostProblem(host);
    if (why || extra.length > 0 || (port !== undefined && !/^[0-9]{1,5}$/.test(port)) || !path.every((p) => IMAGE_PATH.test(p)))
      bad("registry", `is not <host>[:port][/path] with lowercase path parts (e.g. ghcr.io/acme)${why ? `: its host ${why}` : ""}`);
  }
  return out;
}

/** Parses `--name value` / `--name=value` pairs; unknown or repeated names are problems too. */
export function parseArgs(argv: string[]): { args: Partial<ForkArgs>; problems: string[] } {
  const args: Partial<ForkArgs> = {};
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i] ?? "");
    const name = m?.[1] as (typeof NAMES)[number] | undefined;
    if (!m || !name || !NAMES.includes(name)) {
      out.push(`unknown argument ${JSON.stringify(argv[i])}`);
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (args[name] !== undefined) out.push(`--${name} given twice`);
    else if (value === undefined || value.startsWith("--")) {
      out.push(`--${name} needs a value`);
      if (value !== undefined) i--;
    } else args[name] = value;
  }
  // "--x needs a value" already says "--x is missing"
  const said = (p: string) => p.endsWith(" is missing") && out.some((o) => o.startsWith(p.replace(" is missing", " ")));
  return { args, problems: [...out, ...problems(args).filter((p) => !said(p))] };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces each old value with its new one in a single pass (longest first, so a value that
 * contains another wins), only where it stands alone: not inside a longer name or path. */
export function rewrite(text: string, pairs: Map<string, string>): string {
  const olds = [...pairs.keys()].filter((o) => pairs.get(o) !== o).sort((a, b) => b.length - a.length);
  if (olds.length === 0) return text;
  // a boundary only where the value has a word character at that end ("…/runbooks/" is followed by a page name)
  const alone = (o: string) => `${/^\w/.test(o) ? "(?<![\\w.-])" : ""}${escape(o)}${/\w$/.test(o) ? "(?![\\w-])" : ""}`;
  const re = new RegExp(olds.map(alone).join("|"), "g");
  return text.replace(re, (old) => pairs.get(old) ?? old);
}

const fill = (template: string, args: ForkArgs) => template.replace(/\{(org|repo|domain|registry)\}/g, (_, k: keyof ForkArgs) => args[k]);

/** The old → new value of every placeholder; a value shared by two placeholders must move alike. */
export function plan(settings: Settings, args: ForkArgs): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const p of settings.placeholders) {
    const next = fill(p.template, args);
    const earlier = pairs.get(p.value);
    if (earlier !== undefined && earlier !== next) throw new Error(`fork.json: "${p.value}" would become both "${earlier}" and "${next}"`);
    pairs.set(p.value, next);
  }
  return pairs;
}

/** Tracked text files (no NUL byte, not symbolic links) outside settings.skip, relative to root. */
function trackedText(root: string, settings: Settings): Map<string, string> {
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
  const texts = new Map<string, string>();
  for (const file of files) {
    if (settings.skip.includes(file)) continue;
    let buf: Buffer;
    try {
      if (lstatSync(join(root, file)).isSymbolicLink()) continue; // its target is rewritten, once
      buf = readFileSync(join(root, file));
    } catch {
      continue; // deleted in the work tree, not yet in the index
    }
    if (!buf.includes(0)) texts.set(file, buf.toString("utf8"));
  }
  return texts;
}

/** "file:line: text" for every upstream placeholder shape still in a file. */
export function leftovers(texts: Map<string, string>, settings: Settings): string[] {
  const res = settings.upstream.map((p) => new RegExp(p));
  const out: string[] = [];
  for (const [file, text] of texts)
    text.split("\n").forEach((line, i) => {
      if (res.some((re) => re.test(line))) out.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  return out;
}

export interface ForkResult {
  changed: string[];
  leftovers: string[];
}

/** Rewrites the repository at root and records the new values in fork.json. */
export function fork(root: string, args: ForkArgs): ForkResult {
  const settingsFile = join(root, "fork.json");
  const settings = JSON.parse(readFileSync(settingsFile, "utf8")) as Settings;
  const pairs = plan(settings, args);
  const texts = trackedText(root, settings);
  const changed: string[] = [];
  for (const [file, text] of texts) {
    const next = rewrite(text, pairs);
    if (next === text) continue;
    writeFileSync(join(root, file), next);
    texts.set(file, next);
    changed.push(file);
  }
  // only the values change, in place: the file keeps its (Biome's) layout
  const raw = readFileSync(settingsFile, "utf8");
  const recorded = raw.replace(
    /"value": ("[^"\\]*")/g,
    (_, v: string) => `"value": ${JSON.stringify(pairs.get(JSON.parse(v)) ?? JSON.parse(v))}`,
  );
  if (recorded !== raw) {
    writeFileSync(settingsFile, recorded);
    changed.push("fork.json");
  }
  return { changed, leftovers: leftovers(texts, settings) };
}

if (import.meta.main) {
  const { args, problems: bad } = parseArgs(process.argv.slice(2));
  if (bad.length > 0) {
    console.error(`fork: nothing changed, bad arguments:\n  ${bad.join("\n  ")}`);
    console.error("usage: npm run fork -- --org <org> --repo <host/org/name> --domain <domain> --registry <host[:port][/path]>");
    process.exit(2);
  }
  const root = join(import.meta.dirname, "..");
  const result = fork(root, args as ForkArgs);
  console.log(
    result.changed.length ? `fork: rewrote ${result.changed.length} files:\n  ${result.changed.join("\n  ")}` : "fork: nothing to change",
  );
  if (result.leftovers.length > 0) {
    console.error(`fork: upstream placeholders left (rewrite them by hand or add them to fork.json):\n  ${result.leftovers.join("\n  ")}`);
    process.exit(1);
  }
}
