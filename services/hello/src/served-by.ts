import { hostname } from "node:os";
import { z } from "@flotilla/service-kit";
import type { Config } from "./config.ts";

/** Where a request was served: Kubernetes downward-API values, absent ones omitted. */
export const servedBySchema = z.object({
  pod: z.string().optional().describe("POD_NAME (downward API metadata.name)"),
  namespace: z.string().optional().describe("POD_NAMESPACE"),
  node: z.string().optional().describe("NODE_NAME (spec.nodeName)"),
  image: z.string().optional().describe("CONTAINER_IMAGE"),
  hostname: z.string(),
  version: z.string().describe("the service's version"),
});

export type ServedBy = z.infer<typeof servedBySchema>;

export function servedBy(config: Config, version: string): ServedBy {
  const info: ServedBy = { hostname: hostname(), version };
  if (config.POD_NAME) info.pod = config.POD_NAME;
  if (config.POD_NAMESPACE) info.namespace = config.POD_NAMESPACE;
  if (config.NODE_NAME) info.node = config.NODE_NAME;
  if (config.CONTAINER_IMAGE) info.image = config.CONTAINER_IMAGE;
  return info;
}
