// The service registry: every workspace under services/ and apps/ whose package.json has a
// "flotilla" manifest is a member of the fleet. This file is the only reader of those manifests
// (package.json of services/* and apps/*): npm start, the generators, the CI tiers, the render
// checks, the bench, Terraform inputs and the pipelines take the list from here rather than
// keeping their own.
//   node scripts/registry.ts names            one name a line
//   node scripts/registry.ts json             the whole registry as JSON
//   node scripts/registry.ts get NAME FIELD   one field of one member (JSON for objects; FIELD may
//                                             be a dotted path, e.g. image.dockerfile)
//   node scripts/registry.ts build-args NAME  the image's build arguments, one KEY=VALUE a line
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Derived } from "./generated.ts";

export interface Member {
  name: string;
  /** Folder relative to the repository root, e.g. services/hello. */
  dir: string;
  version: string;
  /** One sentence: what it is (package.json description). */
  description: string;
  /** The port of its API: HTTP, or gRPC for grpc members; `npm start` serves there. */
  port: number;
  protocol: "http" | "grpc";
  /** The HTTP port in its container (PORT: health, metrics, and the API of http members). */
  httpPort: number;
  /**
   * How its image is built: the Dockerfile and its build arguments (SERVICE and PORT by default),
   * and its size budget in MB (10^6 bytes) uncompressed and gzipped (`docker save | gzip`), which
   * tier containers checks: images on the shared Node Dockerfile default to NODE_IMAGE_BUDGET.
   */
  image: {
    repository: string;
    dockerfile: string;
    buildArgs: Record<string, string>;
    /** Paths outside the member's folder that only its image reads (scripts/changed-services.ts). */
    inputs: string[];
    budget: ImageBudget | null;
  };
  /** Its block under `services:` in the Helm chart's values (deploy/helm/flotilla). */
  chart: { values: string };
  /** Extra environment for the local run (npm start). */
  env: Record<string, string>;
  /** Packages esbuild must leave external (native addons), copied beside the bundle. */
  external: string[];
  /** Extra bundle entry points besides src/main.ts. */
  entries: Record<string, string>;
  /** Names of the packages it depends on (dependencies and devDependencies), sorted. */
  dependencies: string[];
  /** Built on @flotilla/service-kit: it serves /healthz, /readyz, /metrics and /openapi.json. */
  serviceKit: boolean;
  /** Committed OpenAPI document (docs/api/<name>.json) for members built on the service kit, else null. */
  openapi: string | null;
}

export const root = new URL("..", import.meta.url).pathname;

interface Manifest {
  name?: string;
  version?: string;
  description?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  flotilla?: Partial<Omit<Member, "name" | "dir" | "version" | "description" | "dependencies" | "serviceKit" | "openapi" | "image">> & {
    image?: Partial<Member["image"]>;
  };
}

/** The one Dockerfile of every Node service; it takes SERVICE and PORT. */
export const NODE_DOCKERFILE = "deploy/docker/node-service.Dockerfile";

export interface ImageBudget {
  rawMB: number;
  gzipMB: number;
}

/**
 * A Node image is mostly the Node runtime (108.5 MB stripped, 40.3 MB gzipped), its libraries (5.4
 * MB, 2.3 MB) and then the service's bundle; a service with native addons or more packages
 * declares its own budget in its manifest (`flotilla.image.budget`).
 */
export const NODE_IMAGE_BUDGET: ImageBudget = { rawMB: 120, gzipMB: 44 };

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
      const httpPort = f.httpPort ?? f.port;
      const serviceKit = Boolean(pkg.dependencies?.["@flotilla/service-kit"]);
      const dockerfile = f.image?.dockerfile ?? NODE_DOCKERFILE;
      const nodeArgs: Record<string, string> = dockerfile === NODE_DOCKERFILE ? { SERVICE: name, PORT: String(httpPort) } : {};
      members.push({
        name,
        dir: `${group}/${name}`,
        version: pkg.version ?? "0.0.0",
        description: pkg.description ?? "",
        port: f.port,
        protocol: f.protocol ?? "http",
        httpPort,
        image: {
          repository: f.image?.repository ?? `flotilla/${name}`,
          dockerfile,
          buildArgs: { ...nodeArgs, ...f.image?.buildArgs },
          inputs: f.image?.inputs ?? [],
          budget: f.image?.budget ?? (dockerfile === NODE_DOCKERFILE ? NODE_IMAGE_BUDGET : null),
        },
        chart: { values: f.chart?.values ?? name },
        env: f.env ?? {},
        external: f.external ?? [],
        entries: f.entries ?? {},
        dependencies: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).sort(),
        serviceKit,
        openapi: serviceKit ? `docs/api/${name}.json` : null,
      });
    }
  }
  return members;
}

/**
 * Each member's port under `npm start`, where the whole fleet shares one host: two members may
 * share a default port (each runs alone in its container), so the later one (in registry order)
 * moves to the next free number.
 */
export function localPorts(members: Member[]): Map<string, number> {
  const used = new Set<number>();
  const ports = new Map<string, number>();
  for (const m of members) {
    let port = m.port;
    while (used.has(port)) port++;
    used.add(port);
    ports.set(m.name, port);
  }
  return ports;
}

/** Terraform's copy of the registry (it reads no package.json): deploy/terraform/fleet.json. */
export function fleetJson(members: Member[] = readRegistry()): Derived {
  return { files: new Map([["deploy/terraform/fleet.json", `${JSON.stringify(members, null, 2)}\n`]]) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, name, field] = process.argv.slice(2);
  const members = readRegistry();
  if (cmd === "names") {
    for (const m of members) console.log(m.name);
  } else if (cmd === "json") {
    console.log(JSON.stringify(members, null, 2));
  } else if ((cmd === "get" && name && field) || (cmd === "build-args" && name)) {
    const m = members.find((x) => x.name === name);
    if (!m) {
      console.error(`registry: no member named "${name}" (members: ${members.map((x) => x.name).join(", ")})`);
      process.exit(2);
    }
    if (cmd === "build-args") {
      for (const [key, value] of Object.entries(m.image.buildArgs)) console.log(`${key}=${value}`);
    } else {
      let v: unknown = m;
      for (const part of (field as string).split(".")) v = (v as Record<string, unknown> | undefined)?.[part];
      if (v === undefined) {
        console.error(`registry: member "${name}" has no field "${field}"`);
        process.exit(2);
      }
      console.log(typeof v === "object" ? JSON.stringify(v) : String(v));
    }
  } else {
    console.error("usage: node scripts/registry.ts names | json | get NAME FIELD | build-args NAME");
    process.exit(2);
  }
}
