import { hostname } from "node:os";
import type { Config } from "./config.ts";

/** Where a request was served: Kubernetes downward-API values, absent ones omitted. */
export interface ServedBy {
  pod?: string;
  namespace?: string;
  node?: string;
  image?: string;
  hostname: string;
  version: string;
}

export function servedBy(config: Config, version: string): ServedBy {
  const info: ServedBy = { hostname: hostname(), version };
  if (config.POD_NAME) info.pod = config.POD_NAME;
  if (config.POD_NAMESPACE) info.namespace = config.POD_NAMESPACE;
  if (config.NODE_NAME) info.node = config.NODE_NAME;
  if (config.CONTAINER_IMAGE) info.image = config.CONTAINER_IMAGE;
  return info;
}
