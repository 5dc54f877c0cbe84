import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { assetDir } from "./assets.ts";

export const ROUTE_GUIDE_SERVICE = "routeguide.RouteGuide";
export const BACKEND_SERVICE = "flotilla.routeguide.backend.v1.Backend";
export const HEALTH_SERVICE = "grpc.health.v1.Health";

const FILES = {
  routeGuide: "routeguide/route_guide.proto",
  backend: "flotilla/routeguide/backend/v1/backend.proto",
  health: "grpc/health/v1/health.proto",
  reflectionV1: "grpc/reflection/v1/reflection.proto",
  reflectionV1alpha: "grpc/reflection/v1alpha/reflection.proto",
} as const;

// keepCase: field names exactly as in the .proto (point_count), like the canonical Node example.
const OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  bytes: Array,
  defaults: true,
  oneofs: true,
};
// @grpc/reflection's handlers read and write camelCase objects (its own loader options).
const REFLECTION_OPTIONS: protoLoader.Options = { longs: String, enums: String, bytes: Array, defaults: true, oneofs: true };

export type ProtoFile = keyof typeof FILES;

export function loadDefinition(file: ProtoFile): protoLoader.PackageDefinition {
  const options = file.startsWith("reflection") ? REFLECTION_OPTIONS : OPTIONS;
  return protoLoader.loadSync(FILES[file], { ...options, includeDirs: [assetDir("proto")] });
}

/** Several files in one load, so imports between them resolve to one descriptor set (reflection). */
export function loadDefinitions(files: ProtoFile[]): protoLoader.PackageDefinition {
  return protoLoader.loadSync(
    files.map((file) => FILES[file]),
    { ...OPTIONS, includeDirs: [assetDir("proto")] },
  );
}

/** Service definitions of every API this process can serve or call, loaded once. */
export interface Protos {
  routeGuide: grpc.ServiceDefinition;
  backend: grpc.ServiceDefinition;
  health: grpc.ServiceDefinition;
  /** Clients are generated from these constructors. */
  RouteGuideClient: grpc.ServiceClientConstructor;
  BackendClient: grpc.ServiceClientConstructor;
  HealthClient: grpc.ServiceClientConstructor;
}

let cached: Protos | undefined;

export function protos(): Protos {
  if (cached) return cached;
  const routeGuide = loadDefinition("routeGuide");
  const backend = loadDefinition("backend");
  const health = loadDefinition("health");
  const ctor = (def: protoLoader.PackageDefinition, name: string) => lookup(grpc.loadPackageDefinition(def), name);
  const RouteGuideClient = ctor(routeGuide, ROUTE_GUIDE_SERVICE);
  const BackendClient = ctor(backend, BACKEND_SERVICE);
  const HealthClient = ctor(health, HEALTH_SERVICE);
  cached = {
    routeGuide: RouteGuideClient.service,
    backend: BackendClient.service,
    health: HealthClient.service,
    RouteGuideClient,
    BackendClient,
    HealthClient,
  };
  return cached;
}

function lookup(root: grpc.GrpcObject, dotted: string): grpc.ServiceClientConstructor {
  let node: unknown = root;
  for (const part of dotted.split(".")) node = (node as Record<string, unknown>)[part];
  if (typeof node !== "function") throw new Error(`service ${dotted} not found in its proto`);
  return node as grpc.ServiceClientConstructor;
}
