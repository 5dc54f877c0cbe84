// The service registry: every workspace under services/ and apps/ whose package.json has a
// "flotilla" manifest is a member of the fleet. This file is the only reader of those manifests;
// npm start, the CI tiers, the render checks, the bench, Terraform inputs and the pipelines take
// the list from here rather than keeping their own.
//   node scripts/registry.ts names            one name a line
//   node scripts/registry.ts json             the whole registry as JSON
//   node scripts/registry.ts get NAME FIELD   one field of one member (JSON for objects)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Member {
  name: string;
  /** Folder relative to the repository root, e.g. services/hello. */
  dir: string;
  version: string;
  /** The port the service listens on in its container (HTTP, or gRPC for grpc members). */
  port: number;
  protocol: "http" | "grpc";
  /** Extra environment for the local run (npm start). */
  env: Record<string, string>;
  /** Packages esbuild must leave external (native addons), copied beside the bundle. */
  external: string[];
  /** Extra bundle entry points besides src/main.ts. */
  entries: Record<string, string>;
  /** How its container image is built (CI's containers tier and the pipeline's build-images step). */
  image: Image;
}

export interface Image {
  /** The Dockerfile, relative to the repository root (the build context). */
  dockerfile: string;
  /** The port the service listens on inside the container (the PORT build argument). */
  port: number;
  /** Further --build-arg values. */
  buildArgs: Record<string, string>;
  /** Paths outside the member's folder that only this image reads (changed-services). */
  inputs: string[];
}

/** The recipe every Node.js service shares; a member's "image" block states what differs. */
export const defaultDockerfile = "deploy/docker/node-service.Dockerfile";

export const root = new URL("..", import.meta.url).pathname;

interface Manifest {
  name?: string;
  version?: string;
  flotilla?: Partial<Omit<Member, "name" | "dir" | "version" | "image">> & { image?: Partial<Image> };
}

/** The members of the repository at `dir` (default: this one). */
export function readRegistry(dir: string = root): Member[] {
  const members: Member[] = [];
  for (const group of ["services", "apps"]) {
    if (!existsSync(join(dir, group))) continue;
    for (const name of readdirSync(join(dir, group)).sort()) {
      const file = join(dir, group, name, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8")) as Manifest;
      const f = pkg.flotilla;
      if (!f) continue;
      if (typeof f.port !== "number") throw new Error(`${group}/${name}/package.json: flotilla.port must be a number`);
      members.push({
        name,
        dir: `${group}/${name}`,
        version: pkg.version ?? "0.0.0",
        port: f.port,
        protocol: f.protocol ?? "http",
        env: f.env ?? {},
        external: f.external ?? [],
        entries: f.entries ?? {},
        image: {
          dockerfile: f.image?.dockerfile ?? defaultDockerfile,
          port: f.image?.port ?? f.port,
          buildArgs: f.image?.buildArgs ?? {},
          inputs: f.image?.inputs ?? [],
        },
      });
    }
  }
  return members;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, name, field] = process.argv.slice(2);
  const members = readRegistry();
  if (cmd === "names") {
    for (const m of members) console.log(m.name);
  } else if (cmd === "json") {
    console.log(JSON.stringify(members, null, 2));
  } else if (cmd === "get" && name && field) {
    const m = members.find((x) => x.name === name);
    if (!m) {
      console.error(`registry: no member named "${name}" (members: ${members.map((x) => x.name).join(", ")})`);
      process.exit(2);
    }
    const v = (m as unknown as Record<string, unknown>)[field];
    if (v === undefined) {
      console.error(`registry: member "${name}" has no field "${field}"`);
      process.exit(2);
    }
    console.log(typeof v === "object" ? JSON.stringify(v) : String(v));
  } else {
    console.error("usage: node scripts/registry.ts names | json | get NAME FIELD");
    process.exit(2);
  }
}
